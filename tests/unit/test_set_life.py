"""Agreement, roster, guests and sponsors, challenges and goals, settings, options, close."""

from __future__ import annotations

import copy
from datetime import timedelta

from bot.dispatch import Core
from bot.messages import Direct
from bot.model import Role, SetStatus
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import DM, ROOM, is_error, private_to, public_in, say, texts, uid


def the_set(store: MemoryStore):  # type: ignore[no-untyped-def]
    (learning_set,) = [s for s in store.committed.sets.values() if s.place_id == ROOM.id]
    return learning_set


async def make_set(core: Core, *members: str) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    for name in members:
        await say(core, name, "join")
        await say(core, name, "agree")


async def unchanged(core: Core, store: MemoryStore, name: str, text: str) -> list[str]:
    """Run a command that must fail; assert nothing stored changed; return the answer."""
    before = copy.deepcopy(store.committed)
    outcome = await say(core, name, text)
    assert is_error(outcome), texts(outcome)
    assert store.committed == before
    (answer,) = private_to(outcome, name)
    assert "Example: `/set " in answer
    return [answer]


# --- agreement --------------------------------------------------------------------------


async def test_joining_is_complete_on_agree(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    await say(core, "ann", "join")
    assert (
        "Accept the set's agreement first"
        in private_to(await say(core, "ann", "members"), "ann")[0]
    )
    assert "Confidentiality" in private_to(await say(core, "ann", "agreement"), "ann")[0]
    outcome = await say(core, "ann", "agree")
    assert public_in(outcome) == ["@ann accepted the agreement."]
    assert store.committed.memberships[(the_set(store).id, uid("ann"))].agreed_at is not None
    assert not is_error(await say(core, "ann", "members"))
    joined = await say(core, "bo", "join")  # three people: the facilitator hears why size matters
    assert "The set now has 3. Sets work best with 4–8 people" in private_to(joined, "fay")[0]
    assert "already accepted" in private_to(await say(core, "ann", "agree"), "ann")[0]


async def test_facilitator_replaces_the_agreement(core: Core, store: MemoryStore) -> None:
    await make_set(core, "ann")
    await say(core, "fay", f"agreement Chatham House rules {PLANTED}")
    assert private_to(await say(core, "ann", "agreement"), "ann") == [
        f"The agreement of “Ward leaders”:\nChatham House rules {PLANTED}"
    ]
    joined = private_to(await say(core, "bo", "join"), "bo")[0]
    assert f"Chatham House rules {PLANTED}" in joined and "Confidentiality" not in joined


# --- roster -----------------------------------------------------------------------------


async def test_add_makes_pending_members_and_tells_them(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    outcome = await say(core, "fay", "add <@test:ann> <@test:bo>")
    assert public_in(outcome) == [
        "@ann was added to the set as member.",
        "@bo was added to the set as member.",
    ]
    assert "Type `agree` here" in private_to(outcome, "ann")[0]
    assert "work best with 4–8 people" in private_to(outcome, "fay")[0]
    m = store.committed.memberships[(the_set(store).id, uid("bo"))]
    assert m.role is Role.MEMBER and m.agreed_at is None


async def test_add_as_facilitator_hands_facilitation_on(core: Core, store: MemoryStore) -> None:
    await make_set(core, "ann", "bo")
    await say(core, "fay", "add <@test:ann> as facilitator")
    assert not is_error(await say(core, "ann", "schedule every 2 weeks on Tuesday at 14:00"))
    assert not is_error(await say(core, "ann", "add <@test:fay> as member"))  # fay steps down
    assert "Only a facilitator" in private_to(await say(core, "fay", "close"), "fay")[0]
    # the last facilitator cannot step down
    await unchanged(core, store, "ann", "add <@test:ann> as member")


async def test_remove(core: Core, store: MemoryStore) -> None:
    await make_set(core, "ann", "bo")
    outcome = await say(core, "fay", "remove <@test:ann>")
    assert public_in(outcome) == ["@ann is no longer in the set."]
    assert not store.committed.memberships[(the_set(store).id, uid("ann"))].active
    await unchanged(core, store, "fay", "remove <@test:zed>")
    await unchanged(core, store, "fay", "remove <@test:fay>")  # the only facilitator


async def test_guest_sees_their_meeting_only(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await make_set(core, "ann")
    await unchanged(core, store, "fay", "invite <@test:gil>")  # no meeting yet
    await say(core, "fay", "schedule every 2 weeks on Thursday at 14:00 for 3 meetings")
    outcome = await say(core, "fay", "invite <@test:gil> for next meeting")
    assert "invited you as a guest" in private_to(outcome, "gil")[0]
    await say(core, "ann", f"bid 20m {PLANTED}")
    listing = private_to(await say(core, "gil", "schedule"), "gil")[0]
    assert listing.count("\n  ") == 1 and "Thu 26 Nov 2026 14:00" in listing
    assert PLANTED not in listing and "Bids" not in listing
    member_listing = private_to(await say(core, "ann", "schedule"), "ann")[0]
    assert "  3: " in member_listing and PLANTED in member_listing
    for text in ("members", "challenge", "goal x", "bid", "actions"):
        assert "Guests take part" in private_to(await say(core, "gil", text), "gil")[0], text
    clock.advance(days=3)  # after their meeting, the guest is an outsider again
    assert "Only members" in private_to(await say(core, "gil", "schedule"), "gil")[0]


async def test_sponsor_is_linked_not_added_and_sees_nothing(core: Core, store: MemoryStore) -> None:
    await make_set(core, "ann")
    await say(core, "ann", f"challenge {PLANTED} rota")
    outcome = await say(core, "ann", "sponsor <@test:spo>")
    pairs = zip(outcome.messages, texts(outcome), strict=True)
    (to_sponsor,) = [t for o, t in pairs if isinstance(o.to, Direct)]
    assert "not added to the set" in to_sponsor and "Ward leaders" not in to_sponsor
    assert (the_set(store).id, uid("spo")) not in store.committed.memberships
    for text in ("members", "schedule", "agreement", "challenge"):
        answer = private_to(await say(core, "spo", text), "spo")[0]
        assert "As a sponsor" in answer and PLANTED not in answer, text
    await unchanged(core, store, "ann", "sponsor <@test:ann>")
    await unchanged(core, store, "ann", "sponsor <@test:fay>")  # a member is no sponsor


async def test_a_sponsor_is_not_invited_as_a_guest(core: Core, store: MemoryStore) -> None:
    """A guest sits in on a meeting; a sponsor sees only what their member shares."""
    await make_set(core, "ann")
    await say(core, "ann", "sponsor <@test:spo>")
    await say(core, "fay", "schedule every 2 weeks on Thursday at 14:00 for 3 meetings")
    (answer,) = await unchanged(core, store, "fay", "invite <@test:spo>")
    assert "sponsors a member" in answer


# --- challenges and goals ---------------------------------------------------------------


async def test_challenge_revisions_are_kept(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await make_set(core, "ann")
    await say(core, "ann", f"challenge first {PLANTED}")
    clock.advance(days=14)
    outcome = await say(core, "ann", "challenge second take")
    assert "revision 2" in private_to(outcome, "ann")[0]
    assert (
        "already reads so" in private_to(await say(core, "ann", "challenge second take"), "ann")[0]
    )
    mine = [s for s in store.committed.statements if s.owner_id == uid("ann")]
    assert [(s.revision, s.text) for s in mine] == [(1, f"first {PLANTED}"), (2, "second take")]
    assert mine[1].written_at - mine[0].written_at == timedelta(days=14)


async def test_no_text_opens_a_form_with_the_current_text(core: Core, gateway) -> None:  # type: ignore[no-untyped-def]
    from bot.delivery import deliver

    await make_set(core, "ann")
    await say(core, "ann", "goal listen longer")
    outcome = await say(core, "ann", "goal")
    (form,) = outcome.forms
    assert form.user_id == uid("ann") and form.form.fields[0].initial == "listen longer"
    assert "type `/set goal YOUR TEXT`" in private_to(outcome, "ann")[0]
    await deliver(gateway, outcome)
    assert gateway.forms == [(uid("ann"), form.form)]


async def test_shared_format_one_challenge_set_by_a_facilitator(
    core: Core, store: MemoryStore
) -> None:
    await make_set(core, "ann")
    await say(core, "fay", "options format shared")
    await unchanged(core, store, "ann", "challenge my own")
    await say(core, "fay", "challenge Two wards, one rota")
    assert private_to(await say(core, "ann", "challenge"), "ann") == [
        "The set's shared challenge: Two wards, one rota"
    ]
    (shared,) = store.committed.statements
    assert shared.owner_id is None


# --- settings, options, close, later verbs ----------------------------------------------


async def test_settings_show_and_change(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    shown = private_to(await say(core, "ann", "settings", place=DM, tz="Asia/Tokyo"), "ann")[0]
    assert "time zone: Asia/Tokyo (from your chat profile)" in shown
    outcome = await say(
        core,
        "ann",
        "settings tz America/New_York hours 08:00-16:00 days mon-thu nudges off "
        "away until 2026-12-10",
        place=DM,
    )
    text = private_to(outcome, "ann")[0]
    assert "America/New_York (from your setting)" in text and "08:00-16:00" in text
    assert "mon,tue,wed,thu" in text and "nudges: off" in text
    assert store.committed.people[uid("ann")].tz == "America/New_York"
    away = store.committed.person_settings[uid("ann")].away_until
    assert away is not None and away.isoformat() == "2026-12-10T00:00:00-05:00"


async def test_options_show_and_change(core: Core, store: MemoryStore) -> None:
    await make_set(core, "ann")
    await unchanged(core, store, "fay", "options fishbowl <@test:zed>")
    outcome = await say(
        core, "fay", "options live 10/20/5/5/10 checkin fri tz Asia/Tokyo fishbowl <@test:ann>"
    )
    assert public_in(outcome) == ["@fay changed the set's options."]
    text = private_to(outcome, "fay")[0]
    assert "present 10m, questions 20m" in text and "each Friday morning" in text and "@ann" in text
    assert the_set(store).tz == "Asia/Tokyo"
    assert "Only a facilitator" in private_to(await say(core, "ann", "options"), "ann")[0]


async def test_close_makes_the_set_read_only_and_starts_retention(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await make_set(core, "ann")
    outcome = await say(core, "fay", "close")
    assert "kept for 90 days, until Mon 22 Feb 2027" in public_in(outcome)[0]
    assert the_set(store).status is SetStatus.CLOSED and the_set(store).closed_at == clock.current
    await unchanged(core, store, "ann", "challenge too late")
    assert not is_error(await say(core, "ann", "members"))


async def test_mydata_erase_warns_first_and_only_confirm_erases(
    core: Core, store: MemoryStore
) -> None:
    await make_set(core, "ann")
    before = copy.deepcopy(store.committed)
    warned = await say(core, "ann", "mydata erase", place=DM)
    assert "send `mydata erase confirm`" in private_to(warned, "ann")[0]
    assert store.committed == before
    done = await say(core, "ann", "mydata erase confirm", place=DM)
    assert "Revans has erased what it stored about you" in private_to(done, "ann")[0]
    assert "test:ann" not in {m.user_id for m in store.committed.memberships.values()}
    assert "test:ann" not in store.committed.people


async def test_a_submitted_form_becomes_the_same_command(core: Core, store: MemoryStore) -> None:
    from bot.dispatch import handle_form
    from tests.unit.talk import ctx_for

    await make_set(core, "ann")
    outcome = await handle_form(
        core, ctx_for("ann"), "challenge", {"text": f"  From a {PLANTED}\n"}
    )
    assert private_to(outcome, "ann") == ["Your challenge is saved."]
    (saved,) = store.committed.statements
    assert saved.text == f"From a {PLANTED}"
    before = copy.deepcopy(store.committed)
    assert is_error(await handle_form(core, ctx_for("ann"), "goal", {"text": "  "}))
    assert is_error(await handle_form(core, ctx_for("ann"), "nonsense", {"text": "x"}))
    assert is_error(await handle_form(core, ctx_for("zed"), "goal", {"text": "x"}))
    assert store.committed == before

"""A person's Home (`bot.usecases.home`): their sets and roles, their own open actions with
the nudge's buttons, their next meeting in their own zone, a friendly empty state; and a
press from the Home closing the action through the nudge's own press."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.slack.home import home_blocks, home_payload
from bot.context import Context
from bot.dispatch import Core, handle_press, homes_changed_by, show_home
from bot.messages import Direct, Message, Outcome, Outgoing, Private, Public, Update
from bot.model import ActionStatus, Actor, Place, PlaceKind
from bot.presses import Press
from bot.usecases.home import HomeView
from bot.usecases.nudges import DONE, HOME_KEY, SNOOZE_DAY, SNOOZE_WEEK
from tests.confidential import PLANTED
from tests.fakes import MemoryStore
from tests.unit.rounds_harness import a_set
from tests.unit.talk import DM, OTHER_ROOM, ROOM, is_error, say, uid

HOME = Place("test:home", PlaceKind.PERSONAL, "test")


async def home_of(core: Core, name: str) -> HomeView:
    return await show_home(core, Context(HOME, Actor(uid(name), ""), "/set "))


async def ann_in_two_sets(core: Core) -> None:
    """ann: a member of fay's "Ward leaders" (London, a meeting planned) and the
    facilitator of her own "Night shift"; an open action in each; ben's action beside hers."""
    await a_set(core, "ann", "ben")
    assert not is_error(await say(core, "ann", "settings tz Asia/Tokyo", DM))
    assert not is_error(await say(core, "fay", "schedule 2026-12-10 14:00 Europe/London"))
    assert not is_error(await say(core, "ann", "commit call the rota team by 2026-12-01"))
    assert not is_error(await say(core, "ben", f"commit ask for a budget {PLANTED}"))
    assert not is_error(await say(core, "ann", "create Night shift", OTHER_ROOM))
    assert not is_error(await say(core, "ann", "commit write to the chief nurse", OTHER_ROOM))


async def test_a_member_sees_her_sets_roles_actions_and_next_meeting_in_her_zone(
    core: Core,
) -> None:
    await ann_in_two_sets(core)
    view = await home_of(core, "ann")
    assert not view.empty
    assert [(s.name, s.role) for s in view.sets] == [
        ("Night shift", "facilitator"),
        ("Ward leaders", "member"),
    ]
    assert [(a.set_name, a.number, a.text) for a in view.actions] == [
        ("Ward leaders", 1, "call the rota team"),  # due first
        ("Night shift", 1, "write to the chief nurse"),
    ]
    first, second = view.actions
    assert [b.action for b in first.buttons] == [DONE, SNOOZE_DAY, SNOOZE_WEEK]
    assert all(b.value.endswith(f" {HOME_KEY}") for b in first.buttons)
    assert second.due_at is None
    assert [b.action for b in second.buttons] == [DONE]  # no date, no meeting: no snooze
    (meeting,) = view.meetings
    assert meeting.set_name == "Ward leaders"
    assert meeting.starts_at == datetime(2026, 12, 10, 14, 0, tzinfo=UTC)  # London is UTC now
    assert view.zone == "Asia/Tokyo"
    assert (meeting.local.hour, meeting.local.day, str(meeting.local.tzinfo)) == (
        23,
        10,
        "Asia/Tokyo",
    )
    # ben's action is his: never on ann's Home
    assert all(PLANTED not in a.text for a in view.actions)
    shown = str(home_payload(view))
    assert PLANTED not in shown and "ask for a budget" not in shown


async def test_the_slack_home_names_sets_actions_buttons_and_local_meeting_time(
    core: Core,
) -> None:
    await ann_in_two_sets(core)
    blocks = home_blocks(await home_of(core, "ann"))
    text = str(blocks)
    assert "• Ward leaders — member" in text and "• Night shift — facilitator" in text
    assert "call the rota team" in text and "How a round works" in text
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons].count(DONE) == 2
    # the meeting: Slack's date token, its fallback in ann's own time (23:00 in Tokyo)
    assert "<!date^1796911200^{date_short_pretty} {time}|Thu 10 Dec 2026 23:00 JST>" in text
    assert len(blocks) <= 100


async def test_someone_with_nothing_gets_a_friendly_empty_home(core: Core) -> None:
    view = await home_of(core, "zed")
    assert view.empty and not view.actions and not view.meetings
    text = str(home_blocks(view))
    assert "You are not in a set yet" in text and "`/set join`" in text
    assert "How a round works" in text


async def test_done_pressed_on_the_home_closes_the_action_and_it_leaves_the_home(
    core: Core, store: MemoryStore
) -> None:
    await ann_in_two_sets(core)
    done = (await home_of(core, "ann")).actions[0].buttons[0]
    ctx = Context(HOME, Actor(uid("ann"), "ann"), "/set ")
    outcome = await handle_press(core, ctx, Press(done.action, done.value))
    assert not is_error(outcome)
    # the set hears it, as from a nudge; there is no message to update on a Home
    assert [o.to for o in outcome.messages] == [Public(ROOM.id)]
    assert not any(isinstance(o.to, Update) for o in outcome.messages)
    (closed,) = [a for a in store.committed.actions.values() if a.text == "call the rota team"]
    assert closed.status is ActionStatus.DONE
    after = await home_of(core, "ann")
    assert [a.text for a in after.actions] == ["write to the chief nurse"]
    # pressing the stale button again changes nothing and says so, privately
    again = await handle_press(core, ctx, Press(done.action, done.value))
    assert "already done" in str(again.messages[0].message)
    assert all(not isinstance(o.to, Public) for o in again.messages)


async def test_someone_else_cannot_press_a_home_button(core: Core) -> None:
    await ann_in_two_sets(core)
    done = (await home_of(core, "ann")).actions[0].buttons[0]
    ctx = Context(HOME, Actor(uid("ben"), "ben"), "/set ")
    refused = await handle_press(core, ctx, Press(done.action, done.value))
    assert is_error(refused)


async def test_a_sponsor_sees_the_set_and_role_but_nothing_of_its_content(core: Core) -> None:
    await ann_in_two_sets(core)
    assert not is_error(await say(core, "ann", "sponsor <@test:spo>"))
    view = await home_of(core, "spo")
    assert [(s.name, s.role) for s in view.sets] == [("Ward leaders", "sponsor")]
    assert view.actions == ()  # not even the actions of the member they sponsor
    assert view.meetings == ()  # nor when the set meets: that is the set's, not shared
    shown = str(home_payload(view))
    assert "call the rota team" not in shown and PLANTED not in shown


async def test_snooze_pressed_on_the_home_moves_the_nudge_and_the_home_says_until_when(
    core: Core,
) -> None:
    await ann_in_two_sets(core)
    first = (await home_of(core, "ann")).actions[0]
    assert first.snoozed_until is None
    snooze = next(b for b in first.buttons if b.action == SNOOZE_WEEK)
    ctx = Context(HOME, Actor(uid("ann"), "ann"), "/set ")
    outcome = await handle_press(core, ctx, Press(snooze.action, snooze.value))
    assert not is_error(outcome) and outcome.messages == ()  # nothing to update, nobody told
    again = (await home_of(core, "ann")).actions[0]
    assert again.text == first.text and again.snoozed_until is not None
    assert again.snoozed_until > core.clock.now()
    assert "Snoozed: I'll nudge you again <!date^" in str(home_payload(await home_of(core, "ann")))


async def test_the_homes_an_outcome_changes_are_its_sets_members_and_whom_it_addresses(
    core: Core,
) -> None:
    """A post in a set's place concerns its active members (the facilitator too); a
    private or direct message its addressee; a post in a place with no set nobody."""
    await a_set(core, "ann", "ben")
    assert not is_error(await say(core, "cat", "join"))  # joined, not yet agreed: a member too
    note = Message.text("noted")
    outcome = Outcome(
        (
            Outgoing(Update(ROOM.id, remembered="round:1"), note),
            Outgoing(Public(OTHER_ROOM.id), note),  # no set there
            Outgoing(Private(uid("dan"), ROOM.id), note),
            Outgoing(Direct(uid("eve")), note),
        )
    )
    changed = await homes_changed_by(core, outcome)
    assert changed == {uid(n) for n in ("fay", "ann", "ben", "cat", "dan", "eve")}
    assert await homes_changed_by(core, Outcome((Outgoing(Public(OTHER_ROOM.id), note),))) == set()

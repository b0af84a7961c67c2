"""The weekly check-in on a fake clock: each member asked privately on the check-in day's
morning in their own zone and working hours, every week, until it is turned off; the
answers kept in their private log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dispatch import Core
from bot.messages import Direct, Outcome
from bot.model import EntryKind
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, pending, run_until
from tests.unit.talk import DM, is_error, private_to, public_in, say, texts, uid

KIND = "checkin.weekly"
FRIDAY = datetime(2026, 11, 27, tzinfo=UTC)


def directs(ran: list[tuple[object, Outcome]]) -> list[tuple[str, str]]:
    """(user id, words) of each direct message sent, in order."""
    found = []
    for _, outcome in ran:
        for item in outcome.messages:
            assert isinstance(item.to, Direct), "a check-in is never said in a place"
            found.append((item.to.user_id, texts(Outcome((item,)))[0]))
    return found


async def test_each_member_is_asked_on_their_own_morning_every_week(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann", "ben")
    await say(core, "ann", "settings tz Europe/London")
    await say(core, "ben", "settings tz Asia/Tokyo hours 10:00-18:00")
    outcome = await say(core, "fay", "options checkin fri")
    assert not is_error(outcome)
    assert "each Friday morning, privately to each member" in private_to(outcome, "fay")[0]
    planned = {w.user_id: w.due_at for w in pending(store, KIND)}
    assert planned == {
        uid("ann"): FRIDAY.replace(hour=9),  # 09:00 in London (GMT)
        uid("ben"): FRIDAY.replace(hour=1),  # 10:00 in Tokyo, his first working hour
    }
    assert uid("fay") not in planned  # facilitators keep their log without being asked

    ran = await run_until(core, store, clock, FRIDAY.replace(hour=12))
    sent = directs(ran)
    assert [(item.user_id, item.due_at) for item, _ in ran] == [
        (uid("ben"), FRIDAY.replace(hour=1)),
        (uid("ann"), FRIDAY.replace(hour=9)),
    ]
    assert [who for who, _ in sent] == [uid("ben"), uid("ann")]
    for _, words in sent:
        assert "What clear steps did you take last week on your goal and actions?" in words
        assert "What will you focus on next week?" in words
        assert "`checkin steps YOUR ANSWER`" in words
    # each planned the next week's before sending
    assert {w.user_id: w.due_at for w in pending(store, KIND)} == {
        uid("ann"): FRIDAY.replace(hour=9) + timedelta(days=7),
        uid("ben"): FRIDAY.replace(hour=1) + timedelta(days=7),
    }

    # a member who agrees later (at noon UTC, 07:00 in New York) is asked that same morning
    await say(core, "cat", "join")
    await say(core, "cat", "settings tz America/New_York")
    await say(core, "cat", "agree")
    ran = await run_until(core, store, clock, FRIDAY + timedelta(days=8))
    assert sorted(who for who, _ in directs(ran)) == [
        uid("ann"),
        uid("ben"),
        uid("cat"),
        uid("cat"),
    ]
    cat_sent = [item.due_at for item, _ in ran if item.user_id == uid("cat")]
    nine_in_new_york = FRIDAY.replace(hour=14)  # 09:00 EST
    assert cat_sent == [nine_in_new_york, nine_in_new_york + timedelta(days=7)]

    # off: the pending ones find it off and end the chain
    await say(core, "fay", "options checkin off")
    ran = await run_until(core, store, clock, FRIDAY + timedelta(days=30))
    assert directs(ran) == [] and pending(store, KIND) == []


async def test_a_late_or_away_week_is_skipped_and_the_chain_goes_on(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann")
    await say(core, "fay", "options checkin fri")
    (first,) = pending(store, KIND)
    clock.current = first.due_at + timedelta(days=1)  # the server was down all Friday
    ran = await run_until(core, store, clock, clock.current)
    assert directs(ran) == []
    (second,) = pending(store, KIND)
    assert second.due_at == first.due_at + timedelta(days=7)
    await say(core, "ann", "settings away until 2026-12-10")
    ran = await run_until(core, store, clock, second.due_at)
    assert directs(ran) == []
    (third,) = pending(store, KIND)
    ran = await run_until(core, store, clock, third.due_at)
    assert [who for who, _ in directs(ran)] == [uid("ann")]


async def test_answers_are_kept_privately_in_the_members_log(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    for words in (f"checkin steps I asked Sam {PLANTED}", "checkin next the rota pilot"):
        outcome = await say(core, "ann", words, place=DM)
        assert not is_error(outcome) and public_in(outcome) == []
        assert "Check-in answer kept" in private_to(outcome, "ann")[0]
    kept = sorted(store.committed.learning_log.values(), key=lambda e: e.written_at)
    assert [(e.kind, e.text, e.author_id) for e in kept] == [
        (EntryKind.CHECKIN_STEPS, f"I asked Sam {PLANTED}", uid("ann")),
        (EntryKind.CHECKIN_NEXT, "the rota pilot", uid("ann")),
    ]
    exported = await say(core, "ann", "log export", place=DM)
    attachment = exported.messages[0].message.attachment
    assert attachment is not None
    markdown = attachment.content.decode()
    assert "Steps I took last week" in markdown and f"> I asked Sam {PLANTED}" in markdown
    assert "What I will focus on next week" in markdown and "> the rota pilot" in markdown
    shown = await say(core, "ann", "checkin", place=DM)
    assert "What will you focus on next week?" in private_to(shown, "ann")[0]


async def test_bad_answers_are_refused_with_a_correct_example(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    for words, problem in (
        ("checkin later maybe", "Start your answer with `steps`"),
        ("checkin steps", "Write your answer after `checkin steps`."),
        ("options checkin someday", "someday"),
    ):
        speaker = "fay" if words.startswith("options") else "ann"
        refused = await say(core, speaker, words)
        assert is_error(refused), words
        answer = "\n".join(private_to(refused, speaker))
        assert problem in answer, answer
        assert "Example: `/set " in answer
    assert "Example: `/set checkin steps I asked Sam for the rota data`" in "\n".join(
        private_to(await say(core, "ann", "checkin later"), "ann")
    )
    assert store.committed.learning_log == {} and pending(store, KIND) == []


async def test_hours_moved_later_on_the_day_itself_keep_the_chain(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann")
    await say(core, "ann", "settings tz Europe/London")
    await say(core, "fay", "options checkin fri")
    (first,) = pending(store, KIND)
    assert first.due_at == FRIDAY.replace(hour=9)
    await say(core, "ann", "settings hours 14:00-22:00")  # this Friday's shift now starts later
    ran = await run_until(core, store, clock, first.due_at)
    assert [who for who, _ in directs(ran)] == [uid("ann")]
    (second,) = pending(store, KIND)
    assert second.due_at == FRIDAY.replace(hour=14) + timedelta(days=7)

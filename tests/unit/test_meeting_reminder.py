"""Meeting reminders: queued with the plan, an hour before each meeting; sent or dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.dispatch import Core, handle_due, preview_due
from bot.duework import Drop, DueWork, Send
from bot.messages import Message, Moment, Public
from bot.model import SetStatus
from bot.plain import render_message
from bot.usecases.meeting_reminder import KIND, REMIND_BEFORE
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import ROOM, is_error, say, texts

SERIES = "schedule every 2 weeks on Tuesday at 14:00 Europe/London for 3 meetings"


async def a_set(core: Core) -> None:
    assert not is_error(await say(core, "fay", f"create Ward {PLANTED}", tz="Europe/London"))
    assert not is_error(await say(core, "ann", "join"))
    assert not is_error(await say(core, "ann", "agree"))


def reminders(store: MemoryStore) -> list[DueWork]:
    found = [w for w in store.committed.due_work.values() if w.kind == KIND]
    return sorted(found, key=lambda w: w.due_at)


def meeting_starts(store: MemoryStore) -> dict[str, datetime]:
    return {m.id: m.starts_at for m in store.committed.meetings.values()}


async def one_meeting(core: Core, store: MemoryStore, when: str = "2026-12-10 14:00") -> DueWork:
    await a_set(core)
    assert not is_error(await say(core, "fay", f"schedule {when} Europe/London"))
    (item,) = reminders(store)
    return item


# --- queueing ---------------------------------------------------------------------------


async def test_a_one_off_meeting_queues_one_reminder_an_hour_before(
    core: Core, store: MemoryStore
) -> None:
    item = await one_meeting(core, store)
    (meeting,) = store.committed.meetings.values()
    assert meeting.starts_at == datetime(2026, 12, 10, 14, 0, tzinfo=UTC)  # GMT in December
    assert item.key == f"{KIND}:{meeting.id}"
    assert item.due_at == datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
    assert (item.set_id, item.subject_id, item.user_id) == (meeting.set_id, meeting.id, None)
    assert PLANTED not in repr(item)  # ids and times only


async def test_a_series_queues_one_reminder_per_meeting(core: Core, store: MemoryStore) -> None:
    await a_set(core)
    assert not is_error(await say(core, "fay", SERIES))
    starts = meeting_starts(store)
    queued = reminders(store)
    assert len(queued) == len(starts) == 3
    assert {w.subject_id for w in queued} == set(starts)
    assert all(w.due_at == starts[w.subject_id or ""] - REMIND_BEFORE for w in queued)
    assert len({w.key for w in queued}) == 3


async def test_across_a_clock_change_the_reminder_is_an_hour_before_the_utc_start(
    store: MemoryStore,
) -> None:
    # London springs forward on Sunday 28 March 2027: 14:00 local is 14:00 UTC before, 13:00 after.
    core = Core(uow=store, clock=FakeClock(datetime(2027, 3, 15, 9, 0, tzinfo=UTC)))
    await a_set(core)
    text = "schedule every 1 weeks on Tuesday at 14:00 Europe/London for 4 meetings"
    assert not is_error(await say(core, "fay", text))
    assert [w.due_at for w in reminders(store)] == [
        datetime(2027, 3, 16, 13, 0, tzinfo=UTC),
        datetime(2027, 3, 23, 13, 0, tzinfo=UTC),
        datetime(2027, 3, 30, 12, 0, tzinfo=UTC),
        datetime(2027, 4, 6, 12, 0, tzinfo=UTC),
    ]


async def test_a_meeting_an_hour_or_less_ahead_gets_no_reminder(
    store: MemoryStore,
) -> None:
    # 13:00 UTC is 13:00 in London in December: meetings at 13:30 and 14:00 are too close;
    # one at 14:01 gets a reminder at 13:01.
    core = Core(uow=store, clock=FakeClock(datetime(2026, 12, 10, 13, 0, tzinfo=UTC)))
    await a_set(core)
    for at in ("13:30", "14:00", "14:01"):
        assert not is_error(await say(core, "fay", f"schedule 2026-12-10 {at} Europe/London"))
    assert len(store.committed.meetings) == 3
    (item,) = reminders(store)
    assert item.due_at == datetime(2026, 12, 10, 13, 1, tzinfo=UTC)


async def test_cancelling_a_meeting_cancels_its_reminder_only(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core)
    assert not is_error(await say(core, "fay", SERIES))
    first, _second, third = reminders(store)
    assert not is_error(await say(core, "fay", "schedule cancel 2"))
    assert reminders(store) == [first, third]


async def test_closing_the_set_cancels_its_pending_reminders(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core)
    assert not is_error(await say(core, "fay", SERIES))
    assert len(reminders(store)) == 3
    assert not is_error(await say(core, "fay", "close"))
    assert reminders(store) == []


async def test_a_refused_plan_queues_nothing(core: Core, store: MemoryStore) -> None:
    await a_set(core)
    assert is_error(await say(core, "ann", "schedule 2026-12-10 14:00"))  # not a facilitator
    assert reminders(store) == []


# --- the handler ------------------------------------------------------------------------


async def test_before_the_meeting_it_is_sent_in_the_set_channel(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    item = await one_meeting(core, store)
    (meeting,) = store.committed.meetings.values()
    clock.current = item.due_at
    result = await handle_due(core, item)
    assert isinstance(result, Send)
    (outgoing,) = result.outcome.messages
    assert outgoing.to == Public(ROOM.id)
    assert outgoing.message == Message.text(
        "The set meets at ", Moment(meeting.starts_at), ", in 1 hour."
    )
    assert texts(result.outcome) == [
        f"The set meets at {render_moment(meeting.starts_at)}, in 1 hour."
    ]
    assert PLANTED not in repr(outgoing.message)


def render_moment(at: datetime) -> str:
    return render_message(Message.text(Moment(at)), name_of=str)


async def test_it_counts_the_bids_so_far(core: Core, store: MemoryStore, clock: FakeClock) -> None:
    item = await one_meeting(core, store)
    assert not is_error(await say(core, "ann", f"bid 20m {PLANTED}"))
    clock.current = item.due_at
    result = await handle_due(core, item)
    assert isinstance(result, Send)
    (text,) = texts(result.outcome)
    assert text.endswith(", in 1 hour. 1 bid for airtime so far.")
    assert PLANTED not in text
    assert not is_error(await say(core, "fay", "bid"))
    result = await handle_due(core, item)
    assert isinstance(result, Send)
    assert texts(result.outcome)[0].endswith(" 2 bids for airtime so far.")


async def test_found_late_but_before_the_start_it_says_how_long_is_left(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    item = await one_meeting(core, store)
    clock.current = item.due_at + timedelta(minutes=35, seconds=10)
    result = await handle_due(core, item)
    assert isinstance(result, Send)
    assert texts(result.outcome)[0].endswith(", in 25 minutes.")


@pytest.mark.parametrize("after", [timedelta(0), timedelta(minutes=1), timedelta(days=2)])
async def test_once_the_meeting_has_started_it_is_dropped_as_stale(
    core: Core, store: MemoryStore, clock: FakeClock, after: timedelta
) -> None:
    item = await one_meeting(core, store)
    clock.current = item.due_at + REMIND_BEFORE + after
    result = await handle_due(core, item)
    assert isinstance(result, Drop) and result.reason.startswith("stale")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("cancelled", "meeting cancelled"),
        ("closed", "set closed"),
        ("set gone", "set no longer exists"),
        ("meeting gone", "meeting no longer exists"),
    ],
)
async def test_it_drops_itself_when_no_longer_wanted(
    core: Core, store: MemoryStore, clock: FakeClock, change: str, reason: str
) -> None:
    # The store is changed under the queued row (as if a cancel raced the sweep),
    # so the handler's own checks are what is tested here.
    item = await one_meeting(core, store)
    data = store.committed
    assert item.set_id is not None and item.subject_id is not None
    if change == "cancelled":
        data.meetings[item.subject_id].cancelled_at = clock.now()
    elif change == "closed":
        data.sets[item.set_id].status = SetStatus.CLOSED
    elif change == "set gone":
        del data.sets[item.set_id]
    else:
        del data.meetings[item.subject_id]
    clock.current = item.due_at
    assert await handle_due(core, item) == Drop(reason)


async def test_previewing_changes_nothing(core: Core, store: MemoryStore) -> None:
    item = await one_meeting(core, store)
    commits = store.commits
    assert isinstance(await preview_due(core, item, item.due_at), Send)
    assert store.commits == commits


# --- agreement reminders for people a facilitator adds ----------------------------------


def agreement_rows(store: MemoryStore) -> list[DueWork]:
    return [w for w in store.committed.due_work.values() if w.kind == "agreement.reminder"]


async def test_adding_someone_queues_their_agreement_reminder(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core)
    assert not is_error(await say(core, "fay", "add <@test:bo> <@test:cy> as facilitator"))
    rows = sorted(agreement_rows(store), key=lambda w: w.user_id or "")
    assert [(w.user_id, w.due_at) for w in rows] == [
        ("test:bo", clock.now() + timedelta(hours=24)),
        ("test:cy", clock.now() + timedelta(hours=24)),
    ]
    clock.advance(days=1)
    result = await handle_due(core, rows[0])
    assert isinstance(result, Send) and "`agree`" in texts(result.outcome)[0]


async def test_a_role_change_queues_no_new_reminder(core: Core, store: MemoryStore) -> None:
    await a_set(core)  # ann has agreed
    assert not is_error(await say(core, "fay", "add <@test:ann> as facilitator"))
    assert agreement_rows(store) == []


async def test_removing_or_agreeing_cancels_the_reminder(core: Core, store: MemoryStore) -> None:
    await a_set(core)
    assert not is_error(await say(core, "fay", "add <@test:bo> <@test:cy>"))
    assert len(agreement_rows(store)) == 2
    assert not is_error(await say(core, "fay", "remove <@test:bo>"))
    assert [w.user_id for w in agreement_rows(store)] == ["test:cy"]
    assert not is_error(await say(core, "cy", "agree"))
    assert agreement_rows(store) == []


async def test_joining_then_agreeing_leaves_no_reminder_behind(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core)  # ann joined and agreed
    assert agreement_rows(store) == []


async def test_help_schedule_says_when_reminders_come(core: Core) -> None:
    (text,) = texts(await say(core, "fay", "help schedule"))
    assert "An hour before each meeting the bot posts a reminder" in text

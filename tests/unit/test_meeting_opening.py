"""A planned meeting opens by itself at its start (check-in, report-back, agenda), unless a
facilitator opened one already; cancelling the meeting or closing the set cancels it."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatch import Core, handle_due, preview_due
from bot.duework import Drop, DueWork, Send
from bot.usecases.meeting_reminder import OPEN_KIND
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import is_error, private_to, say, texts


async def planned(core: Core, store: MemoryStore) -> DueWork:
    assert not is_error(await say(core, "fay", f"create Ward {PLANTED}", tz="Europe/London"))
    for name in ("ann", "ben"):
        await say(core, name, "join")
        await say(core, name, "agree")
    assert not is_error(await say(core, "fay", "schedule 2026-12-10 14:00 Europe/London"))
    await say(core, "ann", "bid 20m")
    (opening,) = [w for w in store.committed.due_work.values() if w.kind == OPEN_KIND]
    return opening


async def test_a_planned_meeting_opens_at_its_start(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    opening = await planned(core, store)
    (meeting,) = store.committed.meetings.values()
    assert opening.due_at == meeting.starts_at and PLANTED not in repr(opening)
    clock.current = meeting.starts_at
    result = await handle_due(core, opening)
    assert isinstance(result, Send)
    (said,) = texts(result.outcome)
    assert said.startswith("The meeting is open.") and "Check-in" in said
    assert "1: @ann — 20 min" in said
    (held,) = store.committed.held_meetings.values()
    assert held.is_open and held.planned_id == meeting.id
    assert "already open" in private_to(await say(core, "fay", "meeting start"), "fay")[0]


async def test_a_meeting_a_facilitator_opened_is_not_opened_again(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    opening = await planned(core, store)
    clock.current = opening.due_at - timedelta(minutes=10)
    assert not is_error(await say(core, "fay", "meeting start"))
    clock.current = opening.due_at
    assert await handle_due(core, opening) == Drop("a meeting is already open")
    assert len(store.committed.held_meetings) == 1


async def test_cancelling_or_closing_cancels_the_opening(core: Core, store: MemoryStore) -> None:
    await planned(core, store)
    await say(core, "fay", "schedule cancel 1")
    assert not [w for w in store.committed.due_work.values() if w.kind == OPEN_KIND]


async def test_an_opening_found_hours_late_is_dropped(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    opening = await planned(core, store)
    late = await preview_due(core, opening, opening.due_at + timedelta(hours=3))
    assert isinstance(late, Drop) and late.reason.startswith("stale")
    assert store.committed.held_meetings == {}


async def test_closing_the_set_cancels_the_opening() -> None:
    store = MemoryStore()
    core = Core(uow=store, clock=FakeClock())
    await planned(core, store)
    await say(core, "fay", "close")
    assert not [w for w in store.committed.due_work.values() if w.kind == OPEN_KIND]

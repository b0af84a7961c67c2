"""Meeting reminders through the real store and sweeper, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.store.claims import DueWorkStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from bot.plain import render_message
from bot.usecases.meeting_reminder import KIND, REMIND_BEFORE
from tests.confidential import PLANTED
from tests.fakes import FakeClock, RecordingGateway
from tests.integration.sweeping import sweeper_for
from tests.unit.talk import ROOM, is_error, say

MEETING = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)  # 14:00 in London (GMT)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


@pytest.fixture
def core(uow_factory: SqlUnitOfWorkFactory, clock: FakeClock) -> Core:
    uow_factory.clock = clock
    return Core(uow=uow_factory, clock=clock)


@pytest.fixture
def store(uow_factory: SqlUnitOfWorkFactory) -> DueWorkStore:
    return DueWorkStore(uow_factory.engine)


async def plan(core: Core, *commands: str) -> None:
    assert not is_error(await say(core, "fay", f"create Ward {PLANTED}", tz="Europe/London"))
    for command in commands:
        assert not is_error(await say(core, "fay", command))


async def test_a_planned_meetings_reminder_is_posted_once_an_hour_before_not_earlier(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await plan(core, "schedule 2026-12-10 14:00 Europe/London")
    gateway = RecordingGateway()
    sweeper = sweeper_for(store, core, gateway)
    clock.current = MEETING - REMIND_BEFORE - timedelta(seconds=1)
    assert (await sweeper.sweep_once()).handled == 0
    assert gateway.sent == []
    clock.advance(seconds=1)
    assert (await sweeper.sweep_once()).delivered == 1
    (sent,) = gateway.sent
    assert sent.method == "post" and sent.target == ROOM.id
    assert sent.message.key is not None and sent.message.key.startswith(f"{KIND}:")
    row = await store.by_key(sent.message.key)
    assert row is not None and row.state == "done"
    assert row.item.due_at == MEETING - REMIND_BEFORE
    (text,) = texts_of(gateway)
    assert text.startswith("The set meets at ") and text.endswith(", in 1 hour.")
    clock.advance(minutes=30)
    assert (await sweeper.sweep_once()).handled == 0
    assert len(gateway.sent) == 1
    assert (await store.counts_by_state())["done"] == 1


async def test_cancelled_meetings_and_a_closed_set_send_nothing(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await plan(
        core,
        "schedule every 1 weeks on Thursday at 14:00 Europe/London for 3 meetings",
        "schedule cancel 1",
    )
    gateway = RecordingGateway()
    sweeper = sweeper_for(store, core, gateway)
    clock.current = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # the second meeting's reminder
    assert (await sweeper.sweep_once()).delivered == 1
    assert [s.target for s in gateway.sent] == [ROOM.id]
    assert not is_error(await say(core, "fay", "close"))
    assert (await store.counts_by_state())["pending"] == 0  # the third one's was cancelled
    clock.current = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
    assert (await sweeper.sweep_once()).handled == 0
    assert len(gateway.sent) == 1


async def test_a_reminder_found_after_the_meeting_started_is_dropped_as_stale(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await plan(core, "schedule 2026-12-10 14:00 Europe/London")
    clock.current = MEETING + timedelta(minutes=5)  # the bot was down across the reminder
    (pending,) = [w for w in await store.due_until(clock.now()) if w.item.kind == KIND]
    gateway = RecordingGateway()
    assert (await sweeper_for(store, core, gateway).sweep_once()).dropped == 1
    assert not [t for t in texts_of(gateway) if "The set meets" in t]  # the opening went
    row = await store.by_key(pending.item.key)
    assert row is not None and row.state == "dropped" and (row.last_error or "").startswith("stale")


async def test_found_late_but_before_the_start_it_still_goes_out(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await plan(core, "schedule 2026-12-10 14:00 Europe/London")
    clock.current = MEETING - timedelta(minutes=20)
    gateway = RecordingGateway()
    assert (await sweeper_for(store, core, gateway).sweep_once()).delivered == 1
    (text,) = texts_of(gateway)
    assert text.endswith(", in 20 minutes.") and PLANTED not in text


def texts_of(gateway: RecordingGateway) -> list[str]:
    return [render_message(s.message, name_of=str) for s in gateway.sent]

"""The APScheduler service on a real clock: start-up sweep, precise timers, clean stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.bootstrap import Runtime, running_scheduler
from adapters.config import Settings
from adapters.store.claims import DueWorkStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.catalogue import KINDS
from bot.clock import SystemClock
from bot.dispatch import Core
from bot.duework import DueResult, DueWork, Send, WorkKind
from bot.messages import Direct, Message, Outcome, Outgoing
from bot.ports import UnitOfWork
from tests.fakes import RecordingGateway
from tests.polling import eventually

PING = "test.precise-ping"


async def ping(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    assert item.user_id
    return Send(Outcome((Outgoing(Direct(item.user_id), Message.text("ping")),)))


class SignallingGateway(RecordingGateway):
    def __init__(self) -> None:
        super().__init__()
        self.arrived = asyncio.Event()
        self.times: list[datetime] = []

    async def direct(self, user_id: str, message: Message) -> str:
        self.times.append(datetime.now(UTC))
        self.arrived.set()
        return await super().direct(user_id, message)


@pytest.fixture
def precise_ping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(KINDS, PING, WorkKind(PING, ping, precise=True))


@pytest.fixture
async def runtime(db_url: str, uow_factory: SqlUnitOfWorkFactory) -> AsyncIterator[Runtime]:
    settings = Settings(database_url=db_url, sweep_seconds=3600)  # only the start-up sweep
    yield Runtime(settings, uow_factory.engine, uow_factory, Core(uow_factory, SystemClock()))


async def schedule(runtime: Runtime, key: str, due_at: datetime) -> None:
    async with runtime.uow() as uow:
        await uow.due_work.schedule(DueWork(kind=PING, key=key, due_at=due_at, user_id="test:a"))
        await uow.commit()


async def test_a_sweep_runs_at_start_up(runtime: Runtime, precise_ping: None) -> None:
    await schedule(runtime, "overdue", datetime.now(UTC) - timedelta(hours=1))
    gateway = SignallingGateway()
    runtime.gateways.register("test", gateway)
    async with running_scheduler(runtime) as service:
        await asyncio.wait_for(gateway.arrived.wait(), 10)
    assert len(gateway.sent) == 1 and gateway.sent[0].message.key == "overdue"
    assert service.sweeps >= 1 and not service.scheduler.running
    assert runtime.uow.scheduled_listeners == []


async def test_precise_work_fires_at_its_second_not_at_the_next_sweep(
    runtime: Runtime, precise_ping: None
) -> None:
    gateway = SignallingGateway()
    runtime.gateways.register("test", gateway)
    async with running_scheduler(runtime) as service:
        await eventually(lambda: service.sweeps >= 1, timeout=10, what="the first sweep")
        due = datetime.now(UTC) + timedelta(milliseconds=300)
        await schedule(runtime, "soon", due)  # committed: the listener sets a timer
        await asyncio.wait_for(gateway.arrived.wait(), 10)
    assert gateway.times[0] >= due
    row = await DueWorkStore(runtime.engine).by_key("soon")
    assert row is not None and row.state == "done"


async def test_precise_work_queued_elsewhere_is_armed_by_the_sweep(
    runtime: Runtime, precise_ping: None
) -> None:
    due = datetime.now(UTC) + timedelta(milliseconds=500)
    await schedule(runtime, "other-replica", due)  # e.g. queued by another replica
    gateway = SignallingGateway()
    runtime.gateways.register("test", gateway)
    async with running_scheduler(runtime):
        await asyncio.wait_for(gateway.arrived.wait(), 10)
    assert gateway.times[0] >= due and len(gateway.sent) == 1


@pytest.mark.parametrize("turns", [0, 1, 2, 3, 5, 8])
async def test_a_stop_right_after_start_cuts_no_database_call_short(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, turns: int
) -> None:
    """A server stopped at once (a deploy, a test) may stop while the start-up sweep is
    being launched: that sweep must not begin a query the scheduler's shutdown then
    cancels (a cancelled aiosqlite query left its thread running and the process hung)."""
    cut: list[str] = []

    def watched(name: str) -> object:
        original = getattr(DueWorkStore, name)

        async def call(self: DueWorkStore, *args: object, **kwargs: object) -> object:
            try:
                return await original(self, *args, **kwargs)
            except asyncio.CancelledError:
                cut.append(name)
                raise

        return call

    for name in ("claim", "upcoming"):
        monkeypatch.setattr(DueWorkStore, name, watched(name))
    for _ in range(3):
        async with running_scheduler(runtime) as service:
            for _ in range(turns):
                await asyncio.sleep(0)
        assert not service.scheduler.running
        await asyncio.sleep(0.05)  # anything cancelled by the shutdown has unwound by now
    assert cut == []

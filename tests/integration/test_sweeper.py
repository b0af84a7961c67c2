"""The sweeper over the real store, on SQLite and PostgreSQL, driven by a fake clock."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from adapters.gateways import GatewayRoutes
from adapters.store.claims import DueWorkStore
from adapters.store.engine import make_engine
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from bot.duework import DueWork
from bot.errors import DeliveryError, RateLimited
from bot.messages import Message
from bot.usecases.agreement_reminder import KIND, REMIND_AFTER
from scheduler.sweeper import Sweeper
from tests.confidential import PLANTED
from tests.fakes import FakeClock, RecordingGateway
from tests.integration.sweeping import POLICY, sweeper_for
from tests.unit.talk import is_error, say, uid


class FailingGateway(RecordingGateway):
    """Refuses the first `failures` sends with `error`, then records like its parent."""

    def __init__(self, error: Exception, failures: int = 10**9) -> None:
        super().__init__()
        self.error = error
        self.failures = failures
        self.tries = 0

    async def direct(self, user_id: str, message: Message) -> str:
        self.tries += 1
        if self.tries <= self.failures:
            raise self.error
        return await super().direct(user_id, message)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def core(uow_factory: SqlUnitOfWorkFactory, clock: FakeClock) -> Core:
    uow_factory.clock = clock
    return Core(uow=uow_factory, clock=clock)


@pytest.fixture
def store(uow_factory: SqlUnitOfWorkFactory) -> DueWorkStore:
    return DueWorkStore(uow_factory.engine)


async def members_joined(core: Core, *names: str) -> None:
    """A set whose facilitator is fay; each of `names` joins (and gets a reminder queued)."""
    assert not is_error(await say(core, "fay", f"create Ward {PLANTED}"))
    for name in names:
        assert not is_error(await say(core, name, "join"))


async def test_due_work_fires_once_at_its_instant_not_before(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    gateway = RecordingGateway()
    sweeper = sweeper_for(store, core, gateway)
    await members_joined(core, "ann")
    clock.advance(seconds=REMIND_AFTER.total_seconds() - 1)
    assert (await sweeper.sweep_once()).handled == 0
    assert gateway.sent == []
    clock.advance(seconds=1)
    report = await sweeper.sweep_once()
    assert report.delivered == 1
    (sent,) = gateway.sent
    assert sent.method == "direct" and sent.user_id == uid("ann")
    assert sent.message.key is not None and sent.message.key.startswith(f"{KIND}:")
    clock.advance(hours=1)
    assert (await sweeper.sweep_once()).handled == 0
    assert len(gateway.sent) == 1
    assert (await store.counts_by_state())["done"] == 1


async def test_work_due_during_downtime_fires_once_after_restart(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann", "ben")
    clock.advance(days=3)  # the bot was down for three days
    gateway = RecordingGateway()
    report = await sweeper_for(store, core, gateway, owner="after-restart").sweep_once()
    assert report.delivered == 2
    assert sorted(s.user_id or "" for s in gateway.sent) == [uid("ann"), uid("ben")]
    assert (await sweeper_for(store, core, gateway, owner="other").sweep_once()).handled == 0


async def test_work_found_stale_after_downtime_is_dropped_with_a_log_line(
    core: Core, clock: FakeClock, store: DueWorkStore, caplog: pytest.LogCaptureFixture
) -> None:
    await members_joined(core, "ann")
    clock.advance(days=9)  # a week past the reminder: its stale_after rule drops it
    gateway = RecordingGateway()
    with caplog.at_level(logging.INFO, logger="scheduler.sweeper"):
        report = await sweeper_for(store, core, gateway).sweep_once()
    assert report.dropped == 1 and gateway.sent == []
    assert any("dropped: stale" in r.getMessage() for r in caplog.records)
    assert (await store.counts_by_state())["dropped"] == 1


async def test_an_abandoned_lease_is_taken_over_after_it_expires(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann")
    clock.advance(days=1)
    dead = await store.claim(
        now=clock.now(), owner="dead", lease=POLICY.lease, limit=10, max_attempts=3
    )
    assert len(dead) == 1  # claimed by a worker that then died
    gateway = RecordingGateway()
    other = sweeper_for(store, core, gateway, owner="alive")
    clock.advance(seconds=POLICY.lease.total_seconds() - 1)
    assert (await other.sweep_once()).handled == 0
    clock.advance(seconds=1)
    assert (await other.sweep_once()).delivered == 1
    assert len(gateway.sent) == 1
    # the dead worker waking up late cannot overwrite the new owner's result
    assert not await store.complete(dead[0], "dead", now=clock.now())
    assert (await store.counts_by_state())["done"] == 1


async def test_failing_delivery_backs_off_then_parks(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann")
    clock.advance(days=1)
    gateway = FailingGateway(DeliveryError("channel_not_found"))
    sweeper = sweeper_for(store, core, gateway)
    for attempt in range(1, POLICY.max_attempts):
        assert (await sweeper.sweep_once()).retried == 1
        wait = POLICY.backoff(attempt)
        assert wait == timedelta(seconds=30 * 2 ** (attempt - 1))
        clock.advance(seconds=wait.total_seconds() - 1)
        assert (await sweeper.sweep_once()).handled == 0  # not before the back-off
        clock.advance(seconds=1)
    assert (await sweeper.sweep_once()).failed == 1
    assert gateway.tries == POLICY.max_attempts
    (failed,) = await store.failed()
    assert failed.item.user_id == uid("ann") and failed.attempts == POLICY.max_attempts
    assert failed.last_error == "DeliveryError: channel_not_found"
    counts = await store.counts_by_state()
    assert counts["failed"] == 1 and counts["pending"] == 0
    clock.advance(days=1)
    assert (await sweeper.sweep_once()).handled == 0  # parked, not retried forever


async def test_rate_limited_delivery_is_requeued_for_retry_after(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann")
    clock.advance(days=1)
    gateway = FailingGateway(RateLimited(retry_after=120), failures=1)
    sweeper = sweeper_for(store, core, gateway)
    assert (await sweeper.sweep_once()).deferred == 1
    (row,) = await store.due_until(clock.now() + timedelta(seconds=120))
    assert row.state == "pending" and row.attempts == 0 and row.deferrals == 1
    assert row.run_at == clock.now() + timedelta(seconds=120)
    clock.advance(seconds=119)
    assert (await sweeper.sweep_once()).handled == 0
    clock.advance(seconds=1)
    assert (await sweeper.sweep_once()).delivered == 1
    assert len(gateway.sent) == 1


async def test_a_retry_after_of_zero_waits_a_second_instead_of_spinning(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann")
    clock.advance(days=1)
    gateway = FailingGateway(RateLimited(retry_after=0))
    sweeper = sweeper_for(store, core, gateway)
    assert (await sweeper.sweep_once()).deferred == 1 and gateway.tries == 1
    clock.advance(seconds=1)
    assert (await sweeper.sweep_once()).deferred == 1 and gateway.tries == 2


async def test_scheduling_the_same_key_twice_queues_once(
    uow_factory: SqlUnitOfWorkFactory, clock: FakeClock, store: DueWorkStore
) -> None:
    item = DueWork(kind=KIND, key="k-1", due_at=clock.now(), set_id="s", user_id="test:a")
    async with uow_factory() as uow:
        await uow.due_work.schedule(item)
        await uow.due_work.schedule(item)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.due_work.schedule(item)
        await uow.commit()
    assert (await store.counts_by_state())["pending"] == 1


async def test_cancel_frees_the_key_and_leaving_cancels_the_reminder(
    core: Core, clock: FakeClock, store: DueWorkStore, uow_factory: SqlUnitOfWorkFactory
) -> None:
    await members_joined(core, "ann", "ben")
    await say(core, "ann", "leave")
    clock.advance(days=1)
    pending = await store.due_until(clock.now())
    assert [w.item.user_id for w in pending] == [uid("ben")]
    async with uow_factory() as uow:
        await uow.due_work.cancel(pending[0].item.key)
        await uow.commit()
    assert await store.due_until(clock.now()) == []


async def test_work_for_a_set_that_no_longer_exists_is_dropped_not_retried(
    uow_factory: SqlUnitOfWorkFactory, core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    async with uow_factory() as uow:
        await uow.due_work.schedule(
            DueWork(kind=KIND, key="gone", due_at=clock.now(), set_id="nope", user_id=uid("a"))
        )
        await uow.commit()
    gateway = RecordingGateway()
    report = await sweeper_for(store, core, gateway).sweep_once()
    assert report.dropped == 1 and gateway.sent == []
    row = await store.by_key("gone")
    assert row is not None and row.attempts == 1
    assert row.state == "dropped" and row.last_error == "set no longer exists"


async def test_work_no_gateway_serves_is_parked_at_once(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann")
    clock.advance(days=1)
    sweeper = Sweeper(store, core, GatewayRoutes(), POLICY)  # no gateway for "test:"
    assert (await sweeper.sweep_once()).failed == 1
    (failed,) = await store.failed()
    assert failed.last_error == "NoGateway: no gateway serves platform 'test'"
    assert failed.attempts == 1


async def test_unknown_kinds_are_retried_then_parked(
    uow_factory: SqlUnitOfWorkFactory, core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    async with uow_factory() as uow:
        await uow.due_work.schedule(DueWork(kind="from.the.future", key="f", due_at=clock.now()))
        await uow.commit()
    sweeper = sweeper_for(store, core, RecordingGateway())
    assert (await sweeper.sweep_once()).retried == 1
    clock.advance(hours=2)
    assert (await sweeper.sweep_once()).retried == 1
    clock.advance(hours=2)
    assert (await sweeper.sweep_once()).failed == 1
    (failed,) = await store.failed()
    assert failed.last_error == "UnknownWorkKind"


async def test_a_worker_that_keeps_dying_on_a_row_gets_it_parked(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann")
    clock.advance(days=1)
    for _ in range(POLICY.max_attempts):
        assert await store.claim(
            now=clock.now(), owner="dies", lease=POLICY.lease, limit=1, max_attempts=3
        )
        clock.advance(seconds=POLICY.lease.total_seconds())
    assert (await sweeper_for(store, core, RecordingGateway()).sweep_once()).handled == 0
    (failed,) = await store.failed()
    assert failed.last_error is not None and failed.last_error.startswith("LeaseExpired")


async def test_a_precise_timer_claims_its_row_only_once_due(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann")
    (row,) = await store.due_until(clock.now() + REMIND_AFTER)
    gateway = RecordingGateway()
    sweeper = sweeper_for(store, core, gateway)
    assert await sweeper.fire(row.item.key) == row.run_at  # fired early: try again then
    clock.advance(seconds=REMIND_AFTER.total_seconds())
    assert await sweeper.fire(row.item.key) is None
    assert len(gateway.sent) == 1
    assert await sweeper.fire(row.item.key) is None and len(gateway.sent) == 1


async def test_a_stopping_sweeper_gives_back_what_it_has_not_handled(
    core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann", "ben", "cy")
    clock.advance(days=1)
    gateway = RecordingGateway()
    sweeper = sweeper_for(store, core, gateway)
    original = gateway.direct

    async def stop_after_first(user_id: str, message: Message) -> str:
        sweeper.stopping = True
        return await original(user_id, message)

    gateway.direct = stop_after_first  # type: ignore[method-assign]
    report = await sweeper.sweep_once()
    assert report.delivered == 1 and report.released == 2
    pending = await store.due_until(clock.now())
    assert len(pending) == 2 and all(w.state == "pending" and w.attempts == 0 for w in pending)


async def test_two_sweepers_at_once_deliver_each_row_exactly_once(
    db_url: str, core: Core, clock: FakeClock, uow_factory: SqlUnitOfWorkFactory
) -> None:
    async with uow_factory() as uow:
        for n in range(60):
            await uow.due_work.schedule(
                DueWork(kind="agreement.reminder", key=f"k{n}", due_at=clock.now())
            )
        await uow.commit()
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        gateways = [RecordingGateway(), RecordingGateway()]
        sweepers = [
            Sweeper(DueWorkStore(e), core, lambda _id, g=g: g, POLICY, owner=f"w{i}")
            for i, (e, g) in enumerate(zip(engines, gateways, strict=True))
        ]
        reports = await asyncio.gather(*(s.sweep_once() for s in sweepers))
    finally:
        for engine in engines:
            await engine.dispose()
    # malformed rows (no set/user) are dropped: each exactly once, by one worker or the other
    assert sum(r.dropped for r in reports) == 60
    counts = await DueWorkStore(uow_factory.engine).counts_by_state()
    assert counts["dropped"] == 60 and counts["pending"] == counts["claimed"] == 0


async def test_one_sets_work_is_delivered_in_due_order_while_sets_run_side_by_side(
    uow_factory: SqlUnitOfWorkFactory, core: Core, clock: FakeClock, store: DueWorkStore
) -> None:
    await members_joined(core, "ann", "ben", "cy", "dee")
    clock.advance(days=1, seconds=5)
    order = ["dee", "ann", "cy", "ben"]
    async with uow_factory() as uow:  # one set's reminders, re-timed out of join order
        for n, name in enumerate(order):
            (work,) = [w for w in await store.due_until(clock.now()) if w.item.user_id == uid(name)]
            await uow.due_work.cancel(work.item.key)
            moved = DueWork(
                kind=KIND, key=f"{work.item.key}:moved", set_id=work.item.set_id,
                user_id=work.item.user_id, due_at=clock.now() - timedelta(seconds=4 - n),
            )  # fmt: skip
            await uow.due_work.schedule(moved)
        await uow.commit()
    gateway = RecordingGateway()
    assert (await sweeper_for(store, core, gateway).sweep_once()).delivered == 4
    assert [s.user_id for s in gateway.sent] == [uid(name) for name in order]

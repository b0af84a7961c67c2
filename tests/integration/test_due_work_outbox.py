"""Due work takes the same path as commands (bot.outbox), on SQLite and PostgreSQL: the
handler's effects and its answer commit together, the row is completed, the answer is
sent from the outbox; a worker that died after that commit does not run the handler
again, and its answer is still delivered, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from adapters.gateways import GatewayRoutes
from adapters.store.claims import DueWorkStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from bot.usecases.agreement_reminder import REMIND_AFTER
from scheduler.sweeper import Sweeper
from tests.fakes import FakeClock, RecordingGateway
from tests.integration.sweeping import POLICY
from tests.senders import outbox_sender
from tests.unit.talk import is_error, say

LEASE = timedelta(seconds=15)


class Killed(BaseException):
    """The worker dies here."""


class DiesBeforeCompleting(DueWorkStore):
    async def complete(self, *args: object, **kwargs: object) -> bool:
        raise Killed


def world(uow_factory: SqlUnitOfWorkFactory) -> tuple[Core, FakeClock, RecordingGateway, Any]:
    clock = FakeClock()
    uows = SqlUnitOfWorkFactory(uow_factory.engine, clock, outbox_lease=LEASE)
    gateway = RecordingGateway()
    routes = GatewayRoutes()
    routes.register("test", gateway)
    sender = outbox_sender(uows.engine, clock.now, resolve=routes, lease=LEASE)
    return Core(uow=uows, clock=clock), clock, gateway, (routes, sender)


def sweeper(core: Core, claims: DueWorkStore, wiring: Any, owner: str) -> Sweeper:
    routes, sender = wiring
    return Sweeper(claims, core, routes, POLICY, owner=owner, outbox=sender.send)


def reminders(gateway: RecordingGateway) -> list[object]:
    return [s for s in gateway.sent if s.method == "direct" and "agreement" in str(s.message)]


async def test_a_reminder_is_queued_with_its_work_and_sent_from_the_outbox(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    core, clock, gateway, wiring = world(uow_factory)
    claims = DueWorkStore(uow_factory.engine)
    assert not is_error(await say(core, "fay", "create Ward leaders"))
    assert not is_error(await say(core, "ann", "join"))
    clock.advance(seconds=(REMIND_AFTER + timedelta(minutes=1)).total_seconds())
    report = await sweeper(core, claims, wiring, "w1").sweep_once()
    assert report.delivered == 1
    assert len(reminders(gateway)) == 1
    assert (await claims.counts_by_state())["done"] == 1
    assert await wiring[1].store.counts() == {"sent": 1}


async def test_a_worker_that_dies_after_the_commit_does_not_run_the_work_again(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    core, clock, gateway, wiring = world(uow_factory)
    assert not is_error(await say(core, "fay", "create Ward leaders"))
    assert not is_error(await say(core, "ann", "join"))
    clock.advance(seconds=(REMIND_AFTER + timedelta(minutes=1)).total_seconds())
    dying = sweeper(core, DiesBeforeCompleting(uow_factory.engine), wiring, "w1")
    try:
        await dying.sweep_once()
    except BaseException as exc:  # the TaskGroup wraps the death
        assert any(isinstance(e, Killed) for e in getattr(exc, "exceptions", [exc]))
    assert reminders(gateway) == [], "died before sending"

    clock.advance(seconds=POLICY.lease.total_seconds() + 1)  # the dead worker's claim lapses
    claims = DueWorkStore(uow_factory.engine)
    restarted = sweeper(core, claims, wiring, "w2")
    report = await restarted.sweep_once()
    assert report.delivered == 1
    assert reminders(gateway) == [], "the handler did not run again: nothing new to send"
    await wiring[1].drain()  # the answer the dead worker queued, past its lease by now
    assert len(reminders(gateway)) == 1, "delivered once"
    assert (await claims.counts_by_state())["done"] == 1

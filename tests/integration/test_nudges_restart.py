"""Nudges across a restart, on SQLite and PostgreSQL: what was scheduled before the process
stopped is sent by the next one, once; a worker that dies after the send's transaction
committed does not run it again, and the outbox still delivers it once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from adapters.gateways import GatewayRoutes
from adapters.store.claims import DueWorkStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from scheduler.sweeper import Sweeper
from tests.confidential import PLANTED
from tests.fakes import FakeClock, RecordingGateway
from tests.integration.sweeping import POLICY
from tests.integration.test_due_work_outbox import DiesBeforeCompleting, Killed
from tests.senders import outbox_sender
from tests.unit.talk import is_error, say

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday
LEASE = timedelta(seconds=15)
PENDING = text(
    "SELECT due_at FROM due_work WHERE kind = 'action.nudge' AND state = 'pending' ORDER BY due_at"
)


def process(engine: Any, at: datetime) -> tuple[Core, FakeClock, RecordingGateway, Any]:
    """Everything one process holds in memory: a fresh one after a restart."""
    clock = FakeClock(at)
    uows = SqlUnitOfWorkFactory(engine, clock, outbox_lease=LEASE)
    gateway = RecordingGateway()
    routes = GatewayRoutes()
    routes.register("test", gateway)
    sender = outbox_sender(uows.engine, clock.now, resolve=routes, lease=LEASE)
    return Core(uow=uows, clock=clock), clock, gateway, (routes, sender)


def sweeper(core: Core, claims: DueWorkStore, wiring: Any, owner: str) -> Sweeper:
    routes, sender = wiring
    return Sweeper(claims, core, routes, POLICY, owner=owner, outbox=sender.send)


def nudges(gateway: RecordingGateway) -> list[object]:
    return [s for s in gateway.sent if s.method == "direct" and "nudge about" in str(s.message)]


async def first_nudge_at(uow_factory: SqlUnitOfWorkFactory) -> datetime:
    """Before the restart: a set, and Ann's action by a date (her nudges scheduled)."""
    core, *_ = process(uow_factory.engine, START)
    assert not is_error(await say(core, "fay", "create Ward leaders", tz="Europe/London"))
    assert not is_error(await say(core, "ann", "join"))
    assert not is_error(await say(core, "ann", "agree"))
    words = f"commit call the ward manager {PLANTED} by 2026-12-11"
    assert not is_error(await say(core, "ann", words, tz="Europe/London"))
    async with uow_factory.engine.connect() as conn:
        due = [row[0] for row in (await conn.execute(PENDING)).all()]
    assert due, "nudges scheduled"
    first: datetime = due[0] if isinstance(due[0], datetime) else datetime.fromisoformat(due[0])
    return first if first.tzinfo else first.replace(tzinfo=UTC)


async def test_what_was_scheduled_before_a_restart_is_sent_once_after_it(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    at = await first_nudge_at(uow_factory)
    core, _, gateway, wiring = process(uow_factory.engine, at)  # the restarted process
    claims = DueWorkStore(uow_factory.engine)
    report = await sweeper(core, claims, wiring, "w2").sweep_once()
    assert report.delivered == 1 and len(nudges(gateway)) == 1
    again = await sweeper(core, claims, wiring, "w2").sweep_once()
    assert again.handled == 0 and len(nudges(gateway)) == 1


async def test_a_worker_dying_after_the_send_committed_sends_it_once_after_all(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    at = await first_nudge_at(uow_factory)
    core, clock, gateway, wiring = process(uow_factory.engine, at)
    dying = sweeper(core, DiesBeforeCompleting(uow_factory.engine), wiring, "w1")
    try:
        await dying.sweep_once()
    except BaseException as exc:  # the TaskGroup wraps the death
        assert any(isinstance(e, Killed) for e in getattr(exc, "exceptions", [exc]))
    assert nudges(gateway) == [], "died before sending"

    later = clock.current + POLICY.lease + timedelta(seconds=1)  # the dead worker's claim lapses
    core, _, gateway, wiring = process(uow_factory.engine, later)  # restarted
    claims = DueWorkStore(uow_factory.engine)
    report = await sweeper(core, claims, wiring, "w2").sweep_once()
    assert report.delivered == 1
    assert nudges(gateway) == [], "the send did not run again: nothing new to send"
    await wiring[1].drain()  # what the dead worker queued, past its lease by now
    assert len(nudges(gateway)) == 1, "delivered once"
    async with uow_factory() as uow:
        sent = [n for n in await uow.nudges.of_member("test:ann") if n.sent]
    assert len(sent) == 1 and sent[0].sent_at == at

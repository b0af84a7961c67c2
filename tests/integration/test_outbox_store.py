"""The SQL outbox on SQLite and PostgreSQL: queued in the command's transaction with its
inbox row, taken over after the lease by one sender only, retried, parked, forgotten."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from adapters.store.engine import make_engine
from adapters.store.inbox import DONE, Inbox
from adapters.store.inbox import TABLE as INBOX
from adapters.store.outbox import MAX_ATTEMPTS, OutboxStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core, handle_command
from bot.messages import Direct, Message, Outcome, Outgoing
from bot.outbox import Receipt
from tests.confidential import PLANTED
from tests.fakes import FakeClock
from tests.unit.talk import ctx_for

LEASE = timedelta(seconds=15)


@pytest.fixture
async def parts(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    clock = FakeClock()
    try:
        yield (
            SqlUnitOfWorkFactory(engine, clock, outbox_lease=LEASE),
            OutboxStore(engine, lease=LEASE),
            Inbox(engine),
            clock,
        )
    finally:
        await engine.dispose()


async def inbox_state(inbox: Inbox, key: str) -> tuple[str, str | None]:
    async with inbox.engine.connect() as conn:
        row = (
            await conn.execute(INBOX.select().where(INBOX.c.source == "slack", INBOX.c.key == key))
        ).one()
    return row.state, row.payload


async def test_a_command_its_inbox_row_and_its_replies_commit_together(parts) -> None:  # type: ignore[no-untyped-def]
    uows, outbox, inbox, clock = parts
    assert await inbox.claim("slack", ["event:E1"], clock.now(), payload=PLANTED)
    core = Core(uow=uows, clock=clock)
    outcome = await handle_command(
        core, ctx_for("fay"), f"create {PLANTED}", Receipt("slack", ("event:E1",))
    )
    assert await inbox_state(inbox, "event:E1") == (DONE, None)
    assert await outbox.take(clock.now()) == []  # leased to the process that queued them
    clock.advance(seconds=LEASE.total_seconds())
    taken = await outbox.take(clock.now())
    assert [row.item for row in taken] == list(outcome.messages)
    assert [row.id for row in taken] == [o.outbox_id for o in outcome.messages]
    await outbox.mark_sent([row.id for row in taken], clock.now())
    clock.advance(minutes=5)
    assert await outbox.take(clock.now()) == []
    assert await outbox.counts() == {"sent": len(taken)}


async def test_every_key_of_a_delivery_is_marked_done_and_no_other(parts) -> None:  # type: ignore[no-untyped-def]
    uows, _, inbox, clock = parts
    keys = ["event:E2", "message:T1:C1:1.0"]
    assert await inbox.claim("slack", [*keys, "event:E3"], clock.now(), payload=PLANTED)
    core = Core(uow=uows, clock=clock)
    await handle_command(core, ctx_for("fay"), "help", Receipt("slack", tuple(keys)))
    assert [await inbox_state(inbox, key) for key in keys] == [(DONE, None), (DONE, None)]
    assert (await inbox_state(inbox, "event:E3"))[0] != DONE


async def queue_one(uows: SqlUnitOfWorkFactory, text: str = "hello") -> str:
    async with uows() as uow:
        outcome = await uow.outbox.queue(
            Outcome((Outgoing(Direct("slack:T1:U1"), Message.text(text)),)), origin="test:1"
        )
        await uow.commit()
    (item,) = outcome.messages
    assert item.outbox_id is not None
    return item.outbox_id


async def test_a_failed_send_is_retried_then_parked_without_its_text(parts) -> None:  # type: ignore[no-untyped-def]
    uows, outbox, _, clock = parts
    row_id = await queue_one(uows, PLANTED)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        clock.advance(seconds=LEASE.total_seconds())
        (row,) = await outbox.take(clock.now())
        assert row.id == row_id and row.attempts == attempt - 1
        await outbox.retry(row.id, clock.now(), "SlackRefused")
    assert await outbox.counts() == {"failed": 1}
    clock.advance(days=1)
    assert await outbox.take(clock.now()) == []
    async with outbox.engine.connect() as conn:
        from adapters.store.outbox import T

        (payload, error) = (
            await conn.execute(T.select().with_only_columns(T.c.payload, T.c.last_error))
        ).one()
    assert payload is None and error == "SlackRefused"


async def test_a_rate_limit_waits_without_counting_as_a_failure(parts) -> None:  # type: ignore[no-untyped-def]
    uows, outbox, _, clock = parts
    await queue_one(uows)
    for _ in range(MAX_ATTEMPTS + 2):
        clock.advance(seconds=30)  # past the lease, and past the last Retry-After
        (row,) = await outbox.take(clock.now())
        await outbox.retry(row.id, clock.now() + timedelta(seconds=30), "RateLimited", counts=False)
        assert await outbox.take(clock.now() + timedelta(seconds=29)) == []
    assert await outbox.counts() == {"pending": 1}


async def test_sent_rows_are_forgotten_pending_ones_kept(parts) -> None:  # type: ignore[no-untyped-def]
    uows, outbox, _, clock = parts
    sent, pending = await queue_one(uows), await queue_one(uows)
    await outbox.mark_sent([sent], clock.now())
    clock.advance(days=2)
    assert await outbox.purge(clock.now() - timedelta(days=1)) == 1
    assert [row.id for row in await outbox.take(clock.now())] == [pending]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_senders_never_take_the_same_row(parts) -> None:  # type: ignore[no-untyped-def]
    uows, outbox, _, clock = parts
    queued = {await queue_one(uows, f"n{i}") for i in range(40)}
    clock.advance(seconds=LEASE.total_seconds())
    other = OutboxStore(outbox.engine, lease=LEASE)
    first, second = await asyncio.gather(
        outbox.take(clock.now(), limit=25), other.take(clock.now(), limit=25)
    )
    a, b = {r.id for r in first}, {r.id for r in second}
    assert not a & b and a | b == queued

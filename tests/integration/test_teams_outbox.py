"""A Teams send that fails after the connector's retries goes back to the outbox and is
sent by a later drain, on SQLite and PostgreSQL: a POST answered 502 is not replayed by the
connector (the message may already be posted) but the outbox tries again after its
back-off; a 403 to a 1:1 is not retried at all (dropped and reported)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from adapters.outbox_sender import BACKOFF_START, OutboxSender
from adapters.store.engine import make_engine
from adapters.store.outbox import OutboxStore
from adapters.store.uow import SqlUnitOfWorkFactory
from adapters.teams.connector import ConnectorPool
from adapters.teams.gateway import TeamsGateway
from adapters.teams.references import TeamsReferences
from adapters.teams.translate import ConversationRef
from bot.messages import Message, Outcome, Outgoing, Public
from bot.ports import ChatGateway
from tests.fakes import FakeClock
from tests.fakes.bot_connector import HANG_UP, FakeConnector

PLACE, CHANNEL = "teams:19:c@thread.tacv2", "19:c@thread.tacv2"
LEASE = timedelta(seconds=15)


@dataclass
class Parts:
    uows: SqlUnitOfWorkFactory
    store: OutboxStore
    sender: OutboxSender
    gateway: TeamsGateway
    clock: FakeClock


@pytest.fixture
async def parts(db_url: str, fake: FakeConnector) -> AsyncIterator[Parts]:
    engine = make_engine(db_url)
    clock = FakeClock()
    pool = ConnectorPool(None)
    uows = SqlUnitOfWorkFactory(engine, clock, outbox_lease=LEASE)
    references = TeamsReferences(uows.sessions)
    channel = ConversationRef(fake.url, CHANNEL, "channel", "28:bot", "Revans", "t1")
    await references.remember_conversation(PLACE, channel)
    gateway = TeamsGateway(pool, references, uows)

    def resolve(some_id: str) -> ChatGateway:
        return gateway

    store = OutboxStore(engine, lease=LEASE)
    try:
        yield Parts(uows, store, OutboxSender(store, resolve, clock.now), gateway, clock)
    finally:
        await pool.close()
        await engine.dispose()


@pytest.mark.parametrize("answer", [502, HANG_UP], ids=["502", "hang-up"])
async def test_a_send_answered_502_is_sent_again_by_the_outbox_not_the_connector(
    parts: Parts, fake: FakeConnector, answer: int
) -> None:
    """Also when the line went dead after the request was read (no answer at all)."""
    async with parts.uows() as uow:
        queued = await uow.outbox.queue(
            Outcome((Outgoing(Public(PLACE), Message.text("Round 2 starts now")),)),
            origin="due:round:2",
        )
        await uow.commit()
    fake.fail(answer, lambda r: r.method == "POST", times=1)
    await parts.sender.send(queued, parts.gateway)
    assert len(fake.sent_to(CHANNEL)) == 1, "the connector did not replay the POST"
    assert await parts.store.counts() == {"pending": 1}, "back in the outbox, not lost"
    parts.clock.advance(seconds=BACKOFF_START.total_seconds() / 2)
    assert await parts.sender.drain() == 0, "not before its back-off"
    parts.clock.advance(seconds=BACKOFF_START.total_seconds())
    assert await parts.sender.drain() == 1
    posts = fake.sent_to(CHANNEL)
    assert len(posts) == 2 and posts[-1].text == "Round 2 starts now"
    assert await parts.store.counts() == {"sent": 1}

"""The Bot Connector client against the local fake: 429 with Retry-After is retried a
bounded number of times and then raised as `RateLimited`; 403 is `Forbidden`; one
client per service URL is reused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.teams.connector import ConnectorPool, Forbidden
from bot.errors import RateLimited
from tests.fakes.bot_connector import FakeConnector

CONVERSATION = "19:c@thread.tacv2"
HELLO = {"type": "message", "text": "hello"}


@pytest.fixture
async def pool() -> AsyncIterator[ConnectorPool]:
    connectors = ConnectorPool(None)
    try:
        yield connectors
    finally:
        await connectors.close()


async def test_429_is_retried_after_retry_after(fake: FakeConnector, pool: ConnectorPool) -> None:
    fake.fail(429, lambda r: True, times=2, retry_after="0")
    activity_id = await pool.for_service(fake.url).send(CONVERSATION, HELLO)
    assert activity_id.isdigit()  # a channel message id, as Teams numbers them
    assert len(fake.sent_to(CONVERSATION)) == 3
    assert all(r.authorization is None for r in fake.records)  # emulator mode: no token


async def test_429_beyond_the_attempts_raises_rate_limited(
    fake: FakeConnector, pool: ConnectorPool
) -> None:
    fake.fail(429, lambda r: True, times=10, retry_after="0")
    with pytest.raises(RateLimited) as raised:
        await pool.for_service(fake.url).send(CONVERSATION, HELLO)
    assert raised.value.retry_after == 0
    assert len(fake.records) == 3


async def test_a_long_retry_after_is_not_waited_for(
    fake: FakeConnector, pool: ConnectorPool
) -> None:
    fake.fail(429, lambda r: True, times=1, retry_after="120")
    with pytest.raises(RateLimited) as raised:
        await pool.for_service(fake.url).send(CONVERSATION, HELLO)
    assert raised.value.retry_after == 120 and len(fake.records) == 1


async def test_403_is_forbidden_and_not_retried(fake: FakeConnector, pool: ConnectorPool) -> None:
    fake.fail(403, lambda r: r.path == "/v3/conversations")
    with pytest.raises(Forbidden):
        await pool.for_service(fake.url).create_conversation({"members": [{"id": "29:x"}]})
    assert len(fake.records) == 1


async def test_replies_updates_and_one_client_per_service_url(
    fake: FakeConnector, pool: ConnectorPool
) -> None:
    connector = pool.for_service(fake.url)
    assert pool.for_service(fake.url) is connector
    chain = f"{CONVERSATION};messageid=17"
    await connector.reply(chain, "17", HELLO)
    await connector.update(CONVERSATION, "act-9", {**HELLO, "text": "edited"})
    reply, update = fake.records
    assert (reply.method, reply.conversation_id, reply.activity_id) == ("POST", chain, "17")
    assert (update.method, update.activity_id, update.body["id"]) == ("PUT", "act-9", "act-9")


async def test_a_sent_message_whose_answer_is_not_json_counts_as_sent(
    fake: FakeConnector, pool: ConnectorPool
) -> None:
    """Raising here would make the caller (the sweeper) send the message again."""
    fake.fail(201, lambda r: True, body="<html>gateway page</html>")
    assert await pool.for_service(fake.url).send(CONVERSATION, HELLO) == ""
    assert len(fake.records) == 1

"""The Bot Connector client against the local fake: 429 with Retry-After is retried a
bounded number of times and then raised as `RateLimited`; 403 is `Forbidden`; one
client per service URL is reused."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from adapters.pacing import Pacer
from adapters.teams.connector import MAX_ATTEMPTS, ConnectorPool, Forbidden, Unconfirmed
from bot.errors import DeliveryError, RateLimited
from tests.fakes.bot_connector import HANG_UP, FakeConnector

CONVERSATION = "19:c@thread.tacv2"
HELLO = {"type": "message", "text": "hello"}


class Waits(list[float]):
    """The connector's back-off waits, recorded instead of slept."""

    async def sleep(self, seconds: float) -> None:
        self.append(seconds)


class FakeTime:
    """A clock for the pacer that only moves when it sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def pacer(self) -> Pacer:
        return Pacer(now=lambda: self.now, sleep=self.sleep)

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
async def pool(waits: Waits) -> AsyncIterator[ConnectorPool]:
    connectors = ConnectorPool(None, sleep=waits.sleep)
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


async def test_429_waits_at_least_its_retry_after_then_succeeds(
    fake: FakeConnector, pool: ConnectorPool, waits: Waits
) -> None:
    fake.fail(429, lambda r: True, times=1, retry_after="3")
    assert (await pool.for_service(fake.url).send(CONVERSATION, HELLO)).isdigit()
    assert len(fake.sent_to(CONVERSATION)) == 2
    [wait] = waits
    assert 3.0 <= wait <= 3.0 + 0.25, "Retry-After honoured, plus a little jitter"


async def test_412_is_retried_with_growing_jittered_back_off(
    fake: FakeConnector, pool: ConnectorPool, waits: Waits
) -> None:
    """412 says the request was not carried out: a repeat cannot post twice."""
    fake.fail(412, lambda r: True, times=2)
    assert (await pool.for_service(fake.url).send(CONVERSATION, HELLO)).isdigit()
    assert len(fake.sent_to(CONVERSATION)) == 3
    first, second = waits
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0


@pytest.mark.parametrize("status", [502, 504, 500])
async def test_a_send_answered_5xx_is_not_replayed(
    fake: FakeConnector, pool: ConnectorPool, waits: Waits, status: int
) -> None:
    """The message may already be in the chat: the connector does not send it again (the
    outbox does, later)."""
    fake.fail(status, lambda r: r.method == "POST", times=1)
    connector = pool.for_service(fake.url)
    with pytest.raises(Unconfirmed):
        await connector.send(CONVERSATION, HELLO)
    with pytest.raises(Unconfirmed):
        fake.fail(status, lambda r: r.method == "POST", times=1)
        await connector.reply(f"{CONVERSATION};messageid=17", "17", HELLO)
    assert len(fake.records) == 2 and waits == []


async def test_updates_and_1to1_openings_are_retried_on_502_and_504(
    fake: FakeConnector, pool: ConnectorPool, waits: Waits
) -> None:
    """Doing them twice changes nothing, so they are retried at once."""
    fake.fail(502, lambda r: r.method == "PUT", times=1)
    fake.fail(504, lambda r: r.path == "/v3/conversations", times=1)
    connector = pool.for_service(fake.url)
    await connector.update(CONVERSATION, "act-9", HELLO)
    created = await connector.create_conversation({"members": [{"id": "29:x"}], "tenantId": "t1"})
    assert created["id"] and len(fake.records) == 4 and len(waits) == 2
    fake.fail(502, lambda r: r.method == "PUT", times=5)
    with pytest.raises(DeliveryError):
        await connector.update(CONVERSATION, "act-9", HELLO)


async def test_a_send_whose_connection_drops_is_not_replayed_an_update_is(
    fake: FakeConnector, pool: ConnectorPool, waits: Waits
) -> None:
    """The request was read before the line went dead: the message may be in the chat, so
    the send is `Unconfirmed` (the outbox tries later); an update is simply done again
    (by aiohttp itself, which repeats an idempotent method once on a dropped kept-alive
    connection, never a POST; else by the connector's back-off)."""
    fake.fail(HANG_UP, lambda r: r.method == "POST", times=1)
    connector = pool.for_service(fake.url)
    with pytest.raises(Unconfirmed):
        await connector.send(CONVERSATION, HELLO)
    assert len(fake.records) == 1 and waits == []
    fake.fail(HANG_UP, lambda r: r.method == "PUT", times=1)
    await connector.update(CONVERSATION, "act-9", HELLO)
    assert [r.method for r in fake.records] == ["POST", "PUT", "PUT"]


async def test_a_send_that_cannot_connect_is_retried_with_back_off(
    pool: ConnectorPool, waits: Waits
) -> None:
    """Nothing reached the Bot Connector, so repeating the POST cannot post twice."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connector = pool.for_service(f"http://127.0.0.1:{port}")
    with pytest.raises(DeliveryError) as raised:
        await connector.send(CONVERSATION, HELLO)
    assert not isinstance(raised.value, Unconfirmed)
    assert len(waits) == MAX_ATTEMPTS - 1 and waits[1] > waits[0] / 2


async def test_a_retry_after_on_a_412_or_an_update_s_503_is_honoured_too(
    fake: FakeConnector, pool: ConnectorPool, waits: Waits
) -> None:
    fake.fail(412, lambda r: r.method == "POST", times=1, retry_after="2")
    fake.fail(503, lambda r: r.method == "PUT", times=1, retry_after="4")
    connector = pool.for_service(fake.url)
    await connector.send(CONVERSATION, HELLO)
    await connector.update(CONVERSATION, "act-9", HELLO)
    first, second = waits
    assert 2.0 <= first <= 2.25 and 4.0 <= second <= 4.25
    fake.fail(503, lambda r: r.method == "PUT", times=1, retry_after="120")
    with pytest.raises(RateLimited) as raised:
        await connector.update(CONVERSATION, "act-9", HELLO)
    assert raised.value.retry_after == 120.0 and len(waits) == 2


async def test_a_429_holds_the_conversation_s_later_sends_for_its_retry_after(
    fake: FakeConnector, waits: Waits
) -> None:
    """The sends queued behind a refused one wait for its Retry-After in the pacer, rather
    than each earning a 429 of its own; other conversations are not held."""
    clock = FakeTime()
    pool = ConnectorPool(None, sleep=waits.sleep, pacer=clock.pacer())
    try:
        fake.fail(429, lambda r: r.conversation_id == CONVERSATION, times=1, retry_after="3")
        connector = pool.for_service(fake.url)
        await connector.send(CONVERSATION, HELLO)  # refused once, retried after 3 s
        await connector.send("19:other@thread.tacv2", HELLO)
        assert clock.waits == []
        await connector.send(f"{CONVERSATION};messageid=17", HELLO)  # its reply chain
        assert clock.waits == [3.0] and len(fake.records) == 4
    finally:
        await pool.close()

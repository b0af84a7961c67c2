"""The outbox sender against the fake Slack Web API, on SQLite and PostgreSQL: a committed
outcome is sent and marked sent; rows a dead process left are taken over after their
lease and sent once; a public post that was sent before the crash is found by its
metadata and not posted twice; a 429 waits for Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from adapters.config import Settings
from adapters.outbox_sender import OutboxSender
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway
from adapters.store.engine import make_engine
from adapters.store.outbox import OutboxStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.delivery import StoredRefs
from bot.messages import Message, Outcome, Outgoing, Private, Public, Update
from bot.ports import ChatGateway, NoGateway
from tests.fakes import FakeClock
from tests.fakes.slack_web_api import FakeSlack, RunningFake

PLACE, USER = "slack:T1:C1", "slack:T1:U7"
LEASE = timedelta(seconds=15)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with RunningFake(FakeSlack()) as running:
        yield running


@pytest.fixture
async def parts(db_url: str, fake: FakeSlack):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    clock = FakeClock()
    settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
    try:
        async with aiohttp.ClientSession() as session:
            gateway = SlackGateway(build_client(settings, session))

            def resolve(some_id: str) -> ChatGateway:
                if some_id.startswith("slack:"):
                    return gateway
                raise NoGateway(some_id.split(":", 1)[0])

            store = OutboxStore(engine, lease=LEASE)
            yield (
                SqlUnitOfWorkFactory(engine, clock, outbox_lease=LEASE),
                store,
                OutboxSender(store, resolve, clock.now),
                gateway,
                clock,
            )
    finally:
        await engine.dispose()


ANSWER = Outcome(
    (
        Outgoing(Public(PLACE), Message.text("Ann bid for airtime.")),
        Outgoing(Private(USER, PLACE), Message.text("Your bid is in.")),
    )
)


async def queue(uows: SqlUnitOfWorkFactory, outcome: Outcome = ANSWER) -> Outcome:
    async with uows() as uow:
        queued = await uow.outbox.queue(outcome, origin="slack:event:E1")
        await uow.commit()
    return queued


async def test_a_committed_outcome_is_sent_and_marked_sent(parts, fake: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    uows, store, sender, gateway, clock = parts
    await sender.send(await queue(uows), gateway)
    assert len(fake.ok_calls("chat.postMessage")) == 1
    assert len(fake.ok_calls("chat.postEphemeral")) == 1
    clock.advance(minutes=1)
    assert await sender.drain() == 0
    assert await store.counts() == {"sent": 2}


async def test_rows_left_by_a_dead_sender_are_sent_once_after_the_lease(
    parts,  # type: ignore[no-untyped-def]
    fake: FakeSlack,
) -> None:
    uows, store, sender, _, clock = parts
    await queue(uows)  # committed, then the process died before sending
    assert await sender.drain() == 0  # still leased to the dead process
    clock.advance(seconds=LEASE.total_seconds())
    assert await sender.drain() == 2
    assert [c.args["text"] for c in fake.ok_calls("chat.postMessage")] == ["Ann bid for airtime."]
    assert len(fake.ok_calls("chat.postEphemeral")) == 1
    clock.advance(seconds=LEASE.total_seconds())
    assert await sender.drain() == 0
    assert await store.counts() == {"sent": 2}


async def test_a_post_sent_before_the_crash_is_not_posted_again(parts, fake: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    """Died after sending, before marking sent: the public post carries its outbox id as
    metadata, so the sender finds it and marks it sent instead of posting twice."""
    uows, store, sender, gateway, clock = parts
    queued = await queue(uows)
    (public, _) = queued.messages
    await gateway.post(PLACE, public.message)  # the send that happened before the crash
    clock.advance(seconds=LEASE.total_seconds())
    assert await sender.drain() == 2
    assert len(fake.ok_calls("chat.postMessage")) == 1  # not again
    assert len(fake.ok_calls("chat.postEphemeral")) == 1  # ephemerals cannot be checked: sent
    assert await store.counts() == {"sent": 2}


async def test_a_rate_limited_reply_waits_for_retry_after(parts, fake: FakeSlack) -> None:  # type: ignore[no-untyped-def]
    """The client retries once itself; a second 429 re-queues the row for Retry-After
    (on the fake clock) without counting it as a failure."""
    uows, store, sender, gateway, clock = parts
    fake.rate_limit_next("chat.postEphemeral", retry_after=1, times=2)
    await sender.send(await queue(uows), gateway)
    assert await store.counts() == {"sent": 1, "pending": 1}
    clock.advance(seconds=0.5)
    assert await sender.drain() == 0
    clock.advance(seconds=1)
    assert await sender.drain() == 1
    assert len(fake.ok_calls("chat.postEphemeral")) == 1
    assert await store.counts() == {"sent": 2}


async def test_a_remembered_message_is_updated_in_place_through_its_stored_ref(
    parts,  # type: ignore[no-untyped-def]
    fake: FakeSlack,
) -> None:
    uows, _, sender, gateway, _ = parts
    sender.refs = StoredRefs(uows)
    posted = Outcome((Outgoing(Public(PLACE), Message.text("Round: present"), remember="r:1"),))
    await sender.send(await queue(uows, posted), gateway)
    stored = await sender.refs.ref_of("r:1")
    assert stored, "the post's ts was kept under its key"
    changed = Outcome(
        (Outgoing(Update(PLACE, remembered="r:1"), Message.text("Round: questions")),)
    )
    await sender.send(await queue(uows, changed), gateway)
    (update,) = fake.ok_calls("chat.update")
    assert update.args["text"] == "Round: questions"
    assert update.args["ts"] == stored
    assert len(fake.ok_calls("chat.postMessage")) == 1, "updated, not posted again"


class PrivateBreaks:
    """A gateway whose private messages fail with an unexpected error (a bug, not a
    platform's refusal); everything else goes through `inner`."""

    def __init__(self, inner: ChatGateway) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def post_private(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")


async def test_one_rows_unexpected_error_does_not_lose_the_others_marks(
    parts, fake: FakeSlack
) -> None:  # type: ignore[no-untyped-def]
    """A drain in which one row raises still records the rows it sent (else they would be
    sent again after their lease); the failing row is retried after a counted back-off."""
    uows, store, _, gateway, clock = parts
    broken = OutboxSender(store, lambda _: PrivateBreaks(gateway), clock.now)
    await queue(uows)
    clock.advance(seconds=LEASE.total_seconds())
    assert await broken.drain() == 2
    assert len(fake.ok_calls("chat.postMessage")) == 1
    assert await store.counts() == {"sent": 1, "pending": 1}
    clock.advance(minutes=15)
    assert await broken.drain() == 1  # tried again, still failing, not taken twice at once
    assert len(fake.ok_calls("chat.postMessage")) == 1

"""Fault injection on the delivery path, on SQLite and PostgreSQL, for Slack and Teams.

A worker is killed at each step of delivering a command's answer — after its
transaction commits, after the first send, before the sends are recorded — and a
restarted worker (same database, same platform fake) recovers. Every time the command
has been applied exactly once (`schedule cancel 1` cancels one meeting, never two) and
its answer delivered at least once; on Slack, whose posts carry the outbox id as
metadata, the public answer is never posted twice.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from prometheus_client import CollectorRegistry
from slack_bolt.response import BoltResponse

from adapters.background import BackgroundTasks
from adapters.config import Settings
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway
from adapters.slack.handlers import INBOX_KEYS, SlackHandlers
from adapters.slack.metrics import SlackMetrics
from adapters.store.inbox import Inbox
from adapters.store.uow import SqlUnitOfWorkFactory
from adapters.teams.endpoint import TeamsEndpoint, build_teams_endpoint, read_activity
from adapters.teams.translate import inbox_key
from bot.context import Context
from bot.dispatch import Core, handle_command
from bot.model import Actor, Place, PlaceKind
from bot.ports import ChatGateway, NoGateway
from tests.e2e.teams_server import CHANNEL, Person, command
from tests.fakes import FakeClock
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.slack_web_api import FakeSlack, RunningFake
from tests.senders import outbox_sender

LEASE = timedelta(seconds=15)
STEPS = ["after commit", "after first send", "before mark sent"]


class Killed(BaseException):
    """The worker dies here: nothing after this point runs (not even `except Exception`)."""


def dies_at(step: str) -> Any:
    def crash_point(reached: str) -> None:
        if reached == step:
            raise Killed(step)

    return crash_point


async def cancelled_meetings(uows: SqlUnitOfWorkFactory, place_id: str) -> int:
    async with uows() as uow:
        learning_set = await uow.sets.get_by_place(place_id)
        assert learning_set is not None
        upcoming = await uow.meetings.upcoming(learning_set.id, FakeClock().now())
    return 2 - len(upcoming)


async def plan_two_meetings(core: Core, place: Place, facilitator: Actor) -> None:
    ctx = Context(place, facilitator, "/set ")
    for words in ("create Ward leaders", "schedule 2026-12-10 14:00", "schedule 2026-12-17 14:00"):
        outcome = await handle_command(core, ctx, words)
        assert not any(o.message.kind == "error" for o in outcome.messages), words


# --- Slack ---------------------------------------------------------------------------------

SLACK_PLACE = Place("slack:T1:C1", PlaceKind.CHANNEL, "slack")
SLACK_FAY = Actor("slack:T1:U1", "fay")


def slack_handlers(
    uows: SqlUnitOfWorkFactory,
    session: aiohttp.ClientSession,
    fake: FakeSlack,
    clock: FakeClock,
    crash_step: str | None,
) -> SlackHandlers:
    settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
    gateway = SlackGateway(build_client(settings, session))

    def resolve(some_id: str) -> ChatGateway:
        if some_id.startswith("slack:"):
            return gateway
        raise NoGateway("other")

    return SlackHandlers(
        core=Core(uow=uows, clock=clock),
        gateway=gateway,
        inbox=Inbox(uows.engine, lease=LEASE),
        tasks=BackgroundTasks("slack"),
        metrics=SlackMetrics(CollectorRegistry()),
        command_prefix="/set ",
        sender=outbox_sender(
            uows.engine,
            clock.now,
            resolve=resolve,
            lease=LEASE,
            crash_point=dies_at(crash_step) if crash_step else dies_at("never"),
        ),
    )


def slash(words: str) -> dict[str, Any]:
    return {
        "team_id": "T1",
        "user_id": "U1",
        "user_name": "fay",
        "channel_id": "C1",
        "channel_name": "ward",
        "command": "/set",
        "text": words,
        "trigger_id": "1337.cancel",
        "response_url": "",
    }


async def acknowledged(slack: SlackHandlers, body: dict[str, Any]) -> list[str]:
    context: dict[str, Any] = {}

    async def ack() -> None:
        return None

    response = await slack.inbox_middleware(body, context, BoltResponse(status=200, body=""), ack)
    assert response is not None and response.status == 200
    keys: list[str] = context[INBOX_KEYS]
    return keys


@pytest.fixture
async def slack_world(
    uow_factory: SqlUnitOfWorkFactory,
) -> AsyncIterator[tuple[SqlUnitOfWorkFactory, FakeSlack, aiohttp.ClientSession, FakeClock]]:
    clock = FakeClock()
    uows = SqlUnitOfWorkFactory(uow_factory.engine, clock, outbox_lease=LEASE)
    async with RunningFake(FakeSlack()) as fake, aiohttp.ClientSession() as session:
        yield uows, fake, session, clock


@pytest.mark.parametrize("step", STEPS)
async def test_slack_a_command_takes_effect_once_whenever_its_worker_dies(
    slack_world: tuple[SqlUnitOfWorkFactory, FakeSlack, aiohttp.ClientSession, FakeClock],
    step: str,
) -> None:
    uows, fake, session, clock = slack_world
    first = slack_handlers(uows, session, fake, clock, crash_step=step)
    await plan_two_meetings(first.core, SLACK_PLACE, SLACK_FAY)
    body = slash("schedule cancel 1")
    keys = await acknowledged(first, body)
    work = await first._command_work(body, keys)
    assert work is not None
    with pytest.raises(Killed):
        await work
    assert await cancelled_meetings(uows, SLACK_PLACE.id) == 1

    restarted = slack_handlers(uows, session, fake, clock, crash_step=None)
    clock.advance(seconds=LEASE.total_seconds())
    await restarted.replay_stuck()
    await restarted.sender.drain()
    clock.advance(minutes=10)
    await restarted.replay_stuck()
    await restarted.sender.drain()

    assert await cancelled_meetings(uows, SLACK_PLACE.id) == 1, "applied exactly once"
    posts = [c for c in fake.ok_calls("chat.postMessage") if "is cancelled" in c.args["text"]]
    assert len(posts) == 1, "delivered, and not posted twice"
    assert await restarted.sender.store.counts() == {"sent": 1}
    await first.tasks.close(1)
    await restarted.tasks.close(1)


# --- Teams ---------------------------------------------------------------------------------

FAY = Person("Fay")


class Posted:
    """The request as the endpoint reads it: its body."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = json.dumps(body).encode()

    async def read(self) -> bytes:
        return self.body


async def deliver_activity(endpoint: TeamsEndpoint, body: dict[str, Any]) -> None:
    """What `POST /api/messages` does, less the HTTP answer: claim, turn, then send."""
    activity, read = await read_activity(Posted(body))  # type: ignore[arg-type]
    assert activity is not None
    result = await endpoint.authenticate(activity, None)  # emulator mode
    assert result is not None
    key = inbox_key(read)
    assert key is not None and await endpoint.deliveries.claim([key])
    _, deferred = await endpoint.run_turn(result, activity, read, key)
    for reply in deferred:
        endpoint.bot.spawn_delivery(reply)


def teams_endpoint(
    uows: SqlUnitOfWorkFactory, clock: FakeClock, crash_step: str | None
) -> TeamsEndpoint:
    endpoint_ref: list[TeamsEndpoint] = []

    def resolve(some_id: str) -> ChatGateway:
        if some_id.startswith("teams:"):
            return endpoint_ref[0].gateway
        raise NoGateway("other")

    sender = outbox_sender(
        uows.engine,
        clock.now,
        resolve=resolve,
        lease=LEASE,
        crash_point=dies_at(crash_step) if crash_step else dies_at("never"),
    )
    endpoint = build_teams_endpoint(Settings(), Core(uow=uows, clock=clock), uows, sender)
    endpoint_ref.append(endpoint)
    return endpoint


@pytest.fixture
async def connector() -> AsyncIterator[tuple[FakeConnector, str]]:
    fake = FakeConnector()
    url = await fake.start()
    try:
        yield fake, url
    finally:
        await fake.stop()


def answers_in_channel(fake: FakeConnector, text: str) -> list[Any]:
    return [r for r in fake.sent_to(CHANNEL) if text in r.text]


@pytest.mark.parametrize("step", STEPS)
async def test_teams_a_command_takes_effect_once_whenever_its_worker_dies(
    uow_factory: SqlUnitOfWorkFactory,
    connector: tuple[FakeConnector, str],
    step: str,
) -> None:
    fake, url = connector
    clock = FakeClock()
    uow_factory = SqlUnitOfWorkFactory(uow_factory.engine, clock, outbox_lease=LEASE)
    setting_up = teams_endpoint(uow_factory, clock, crash_step=None)
    for words in ("create Ward leaders", "schedule 2026-12-10 14:00", "schedule 2026-12-17 14:00"):
        await deliver_activity(setting_up, command(FAY, words, service_url=url))
    await setting_up.tasks.close(5)
    await setting_up.close()
    first = teams_endpoint(uow_factory, clock, crash_step=step)
    place_id = f"teams:{CHANNEL}"
    try:
        await deliver_activity(first, command(FAY, "schedule cancel 1", service_url=url))
    except Killed:
        assert step == "after commit"
    await first.tasks.close(5)  # a send killed inside its task ends there
    assert await cancelled_meetings(uow_factory, place_id) == 1

    restarted = teams_endpoint(uow_factory, clock, crash_step=None)
    clock.advance(seconds=LEASE.total_seconds())
    await restarted.bot.sender.drain()
    await restarted.tasks.close(5)

    assert await cancelled_meetings(uow_factory, place_id) == 1, "applied exactly once"
    assert len(answers_in_channel(fake, "is cancelled")) >= 1, "delivered at least once"
    counts = await restarted.bot.sender.store.counts()
    assert counts.get("pending", 0) == 0
    await first.close()
    await restarted.close()

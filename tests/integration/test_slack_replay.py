"""An acknowledged Slack delivery whose handler died is replayed once, then forgotten."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from prometheus_client import CollectorRegistry
from slack_bolt.response import BoltResponse
from sqlalchemy import select

from adapters.background import BackgroundTasks
from adapters.config import Settings
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway
from adapters.slack.handlers import INBOX_KEYS, SOURCE, SlackHandlers
from adapters.slack.metrics import SlackMetrics
from adapters.store.inbox import TABLE, Inbox
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from tests.confidential import PLANTED
from tests.fakes import FakeClock
from tests.fakes.slack_web_api import FakeSlack, RunningFake
from tests.senders import outbox_sender

LEASE = timedelta(seconds=30)


def command(trigger: str, text: str = f"create Ward {PLANTED}") -> dict[str, Any]:
    return {
        "team_id": "T1",
        "user_id": "U1",
        "user_name": "ann",
        "channel_id": "C1",
        "channel_name": "general",
        "command": "/set",
        "text": text,
        "trigger_id": trigger,
    }


def handlers_for(
    uow_factory: SqlUnitOfWorkFactory,
    fake: FakeSlack,
    session: aiohttp.ClientSession,
    clock: FakeClock,
) -> SlackHandlers:
    settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
    return SlackHandlers(
        core=Core(uow=uow_factory, clock=clock),
        gateway=SlackGateway(build_client(settings, session)),
        inbox=Inbox(uow_factory.engine, lease=LEASE),
        tasks=BackgroundTasks(),
        metrics=SlackMetrics(CollectorRegistry()),
        command_prefix="/set ",
        sender=outbox_sender(uow_factory.engine, clock.now, lease=LEASE),
    )


@pytest.fixture
async def world(
    uow_factory: SqlUnitOfWorkFactory,
) -> AsyncIterator[tuple[SlackHandlers, SlackHandlers, FakeSlack, FakeClock]]:
    clock = FakeClock()
    async with RunningFake(FakeSlack()) as fake, aiohttp.ClientSession() as session:
        one = handlers_for(uow_factory, fake, session, clock)
        two = handlers_for(uow_factory, fake, session, clock)
        yield one, two, fake, clock
        await one.tasks.close(5)
        await two.tasks.close(5)


async def acknowledged_then_died(slack: SlackHandlers, body: dict[str, Any]) -> list[str]:
    """The inbox middleware runs, the listener acknowledges, the process dies before handling."""
    context: dict[str, Any] = {}

    async def listener_acks_then_the_process_dies() -> None:
        pass

    response = await slack.inbox_middleware(
        body, context, BoltResponse(status=200, body=""), listener_acks_then_the_process_dies
    )
    assert response is not None and response.status == 200
    keys: list[str] = context[INBOX_KEYS]
    return keys


async def payloads(slack: SlackHandlers) -> dict[str, tuple[str, str | None]]:
    async with slack.inbox.engine.connect() as conn:
        found = await conn.execute(
            select(TABLE.c.key, TABLE.c.state, TABLE.c.payload).where(TABLE.c.source == SOURCE)
        )
        return {key: (state, payload) for key, state, payload in found.all()}


async def test_a_stuck_command_is_replayed_once_after_its_lease_and_its_body_goes(
    world: tuple[SlackHandlers, SlackHandlers, FakeSlack, FakeClock],
) -> None:
    slack, _, fake, clock = world
    (key,) = await acknowledged_then_died(slack, command("111.aaa"))
    state, payload = (await payloads(slack))[key]
    assert state == "received" and payload is not None and PLANTED in payload

    clock.advance(seconds=20)
    assert await slack.replay_stuck() == 0, "its lease has not run out: maybe still running"
    assert fake.calls == []

    clock.advance(seconds=11)
    assert await slack.replay_stuck() == 1
    (announce,) = fake.ok_calls("chat.postMessage")
    assert announce.args["channel"] == "C1"
    assert "made this place the set" in announce.args["text"], "the core created the set"
    assert (await payloads(slack))[key] == ("done", None)

    clock.advance(minutes=5)
    assert await slack.replay_stuck() == 0, "exactly once"
    assert len(fake.calls) == 1


async def test_a_finished_delivery_keeps_no_body(
    world: tuple[SlackHandlers, SlackHandlers, FakeSlack, FakeClock],
) -> None:
    slack, _, _, clock = world
    now = clock.now()
    assert await slack.inbox.claim(SOURCE, ["trigger:x", "other:y"], now, f'{{"t": "{PLANTED}"}}')
    found = await payloads(slack)
    assert found["trigger:x"][1] is not None and found["other:y"] == ("received", None)
    await slack.inbox.finish(SOURCE, ["trigger:x", "other:y"])
    assert await payloads(slack) == {"trigger:x": ("done", None), "other:y": ("done", None)}
    clock.advance(hours=1)
    assert await slack.replay_stuck() == 0


async def test_a_delivery_still_being_handled_here_is_not_replayed_here(
    world: tuple[SlackHandlers, SlackHandlers, FakeSlack, FakeClock],
) -> None:
    slack, _, fake, clock = world
    keys = await acknowledged_then_died(slack, command("222.bbb", f"help {PLANTED}"))
    slack.in_flight.update(keys)  # as if its background task were still running
    clock.advance(minutes=2)
    assert await slack.replay_stuck() == 0
    slack.in_flight.clear()
    assert await slack.replay_stuck() == 1
    assert len(fake.ok_calls("chat.postEphemeral")) == 1


async def test_a_stuck_message_event_is_replayed_to_the_core(
    world: tuple[SlackHandlers, SlackHandlers, FakeSlack, FakeClock],
) -> None:
    slack, _, _, clock = world
    body = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "Ev1",
        "event": {
            "type": "message",
            "channel": "C1",
            "user": "U1",
            "text": f"a thought {PLANTED}",
            "ts": "1700000000.000100",
            "thread_ts": "1700000000.000001",
        },
    }
    keys = await acknowledged_then_died(slack, body)
    assert len(keys) == 2
    clock.advance(seconds=31)
    assert await slack.replay_stuck() == 1
    assert slack.metrics.handled.labels("event", "ok")._value.get() == 1
    assert await payloads(slack) == {key: ("done", None) for key in keys}


async def test_a_stuck_app_home_opened_is_replayed_as_a_home_publish(
    world: tuple[SlackHandlers, SlackHandlers, FakeSlack, FakeClock],
) -> None:
    slack, _, fake, clock = world
    body = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "EvHome",
        "event": {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"},
    }
    keys = await acknowledged_then_died(slack, body)
    clock.advance(seconds=31)
    assert await slack.replay_stuck() == 1
    (published,) = fake.ok_calls("views.publish")
    assert published.args["user_id"] == "U1" and published.args["view"]["type"] == "home"
    assert slack.metrics.handled.labels("home", "ok")._value.get() == 1
    assert await payloads(slack) == {key: ("done", None) for key in keys}


async def test_two_replayers_handle_each_stuck_delivery_once(
    world: tuple[SlackHandlers, SlackHandlers, FakeSlack, FakeClock],
) -> None:
    one, two, fake, clock = world
    for n in range(4):
        await acknowledged_then_died(one, command(f"33{n}.ccc", f"help {PLANTED}"))
    clock.advance(seconds=31)
    counts = await asyncio.gather(one.replay_stuck(), two.replay_stuck())
    assert sum(counts) == 4
    assert len(fake.ok_calls("chat.postEphemeral")) == 4
    assert all(
        state == "done" and payload is None for state, payload in (await payloads(one)).values()
    )
    clock.advance(minutes=5)
    assert await one.replay_stuck() + await two.replay_stuck() == 0

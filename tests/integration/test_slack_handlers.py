"""The Slack handlers when the unexpected happens: an apology, no content in the logs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from prometheus_client import CollectorRegistry

from adapters.apology import APOLOGY_TEXT
from adapters.background import BackgroundTasks
from adapters.config import Settings
from adapters.outbox_sender import OutboxSender
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway
from adapters.slack.handlers import SlackHandlers
from adapters.slack.metrics import SlackMetrics
from adapters.slack.replies import CommandReplies
from adapters.store.inbox import Inbox
from adapters.store.outbox import OutboxStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.context import Context
from bot.dispatch import Core
from bot.messages import Form, FormField, Message, OpenForm, Outcome, Outgoing, Private
from bot.model import Actor, Place, PlaceKind
from bot.ports import ChatGateway, NoGateway
from tests.confidential import PLANTED
from tests.fakes import FakeClock
from tests.fakes.slack_web_api import FakeSlack, RunningFake

CTX = Context(
    Place("slack:T1:C1", PlaceKind.CHANNEL, "slack"), Actor("slack:T1:U1", "ann"), "/set "
)


def no_gateway(some_id: str) -> ChatGateway:
    raise NoGateway(some_id)


class BrokenStore:
    def __call__(self) -> SqlUnitOfWorkFactory:
        raise RuntimeError(f"database said something about {PLANTED}")


@pytest.fixture
async def handlers(
    uow_factory: SqlUnitOfWorkFactory,
) -> AsyncIterator[tuple[SlackHandlers, FakeSlack]]:
    async with RunningFake(FakeSlack()) as fake, aiohttp.ClientSession() as session:
        settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
        yield (
            SlackHandlers(
                core=Core(uow=BrokenStore(), clock=FakeClock()),  # type: ignore[arg-type]
                gateway=SlackGateway(build_client(settings, session)),
                inbox=Inbox(uow_factory.engine),
                tasks=BackgroundTasks(),
                metrics=SlackMetrics(CollectorRegistry()),
                command_prefix="/set ",
                sender=OutboxSender(OutboxStore(uow_factory.engine), no_gateway, FakeClock().now),
            ),
            fake,
        )


async def test_an_unexpected_failure_apologises_privately_and_logs_no_content(
    handlers: tuple[SlackHandlers, FakeSlack],
) -> None:
    slack, fake = handlers
    now = FakeClock().now()
    assert await slack.inbox.claim("slack", ["trigger:abc"], now)
    await slack.run_command(CTX, f"create {PLANTED}", None, ["trigger:abc"])
    (apology,) = fake.ok_calls("chat.postEphemeral")
    assert (apology.args["channel"], apology.args["user"]) == ("C1", "U1")
    assert apology.args["text"] == APOLOGY_TEXT
    assert slack.metrics.handled.labels("command", "failed")._value.get() == 1
    assert not await slack.inbox.claim("slack", ["trigger:abc"], now), "marked done"
    # The autouse fixture fails this test if the RuntimeError's message reached the logs.


async def test_an_apology_slack_refuses_is_logged_not_raised(
    handlers: tuple[SlackHandlers, FakeSlack],
) -> None:
    slack, fake = handlers
    fake.fail_next("chat.postEphemeral", "channel_not_found", times=2)
    await slack.run_command(CTX, "create", None, [])
    assert slack.metrics.handled.labels("command", "failed")._value.get() == 1
    assert [c.error for c in fake.calls_to("chat.postEphemeral")] == ["channel_not_found"]


def form_outcome(trigger: str | None) -> Outcome:
    form = Form("challenge", "Your challenge", (FormField("text", "Your challenge"),))
    hint = Message.text(f"Fill in the form {PLANTED}")
    return Outcome(
        (Outgoing(Private(CTX.actor.user_id, CTX.place.id), hint),),
        (OpenForm(CTX.actor.user_id, form, trigger),),
    )


async def test_a_form_opens_before_the_answer_with_the_places_metadata(
    handlers: tuple[SlackHandlers, FakeSlack],
) -> None:
    slack, fake = handlers
    replies = CommandReplies(slack.gateway, CTX.place.id, CTX.actor.user_id, None)
    await slack.sender.send(form_outcome("1.2.trig"), replies)
    assert [c.method for c in fake.calls if c.method != "auth.test"] == [
        "views.open",
        "chat.postEphemeral",
    ], "a trigger_id lasts 3 s: the form goes first"
    view = fake.ok_calls("views.open")[0].args["view"]
    assert json.loads(view["private_metadata"]) == {"place": CTX.place.id, "kind": "channel"}


async def test_a_form_that_cannot_open_still_lets_the_answer_through(
    handlers: tuple[SlackHandlers, FakeSlack],
) -> None:
    slack, fake = handlers
    replies = CommandReplies(slack.gateway, CTX.place.id, CTX.actor.user_id, None)
    await slack.sender.send(form_outcome(None), replies)
    fake.fail_next("views.open", "expired_trigger_id")
    await slack.sender.send(form_outcome("1.2.late"), replies)
    assert [c.error for c in fake.calls_to("views.open")] == ["expired_trigger_id"]
    assert len(fake.ok_calls("chat.postEphemeral")) == 2

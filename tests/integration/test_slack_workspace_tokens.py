"""Multi-workspace mode in process: the gateway sends with each workspace's own bot token,
and `app_uninstalled` / `tokens_revoked` delete only that workspace's token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from prometheus_client import CollectorRegistry
from slack_sdk.oauth.installation_store.models.installation import Installation

from adapters.background import BackgroundTasks
from adapters.config import Settings
from adapters.outbox_sender import OutboxSender
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway, SlackRefused
from adapters.slack.handlers import SlackHandlers
from adapters.slack.installations import SqlInstallationStore
from adapters.slack.metrics import SlackMetrics
from adapters.store.inbox import Inbox
from adapters.store.outbox import OutboxStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from bot.messages import Message
from bot.ports import ChatGateway, NoGateway
from tests.fakes import FakeClock
from tests.fakes.slack_web_api import FakeSlack, RunningFake

ALPHA, BRAVO = "T0ALPHA", "T0BRAVO"
Harness = tuple[SlackHandlers, SqlInstallationStore, FakeSlack]


def no_gateway(some_id: str) -> ChatGateway:
    raise NoGateway(some_id)


async def ack() -> None:
    return None


@pytest.fixture
async def harness(uow_factory: SqlUnitOfWorkFactory) -> AsyncIterator[Harness]:
    store = SqlInstallationStore(uow_factory.engine)
    async with RunningFake(FakeSlack()) as fake, aiohttp.ClientSession() as session:
        for team in (ALPHA, BRAVO):
            token = f"xoxb-{team}-fake"
            fake.installed[token] = team
            await store.async_save(
                Installation(
                    team_id=team,
                    bot_token=token,
                    bot_id="BBOT",
                    bot_user_id="UBOT",
                    user_id="UINSTALLER",
                    installed_at=datetime.now(UTC).timestamp(),
                )
            )
        settings = Settings(
            slack_client_id="1111.2222",
            slack_client_secret="x",
            slack_signing_secret="x",
            slack_api_url=f"{fake.url}api/",
        )
        gateway = SlackGateway(build_client(settings, session), tokens=store.bot_token)
        handlers = SlackHandlers(
            core=Core(uow=uow_factory, clock=FakeClock()),
            gateway=gateway,
            inbox=Inbox(uow_factory.engine),
            tasks=BackgroundTasks(),
            metrics=SlackMetrics(CollectorRegistry()),
            command_prefix="/set ",
            sender=OutboxSender(OutboxStore(uow_factory.engine), no_gateway, FakeClock().now),
            installations=store,
        )
        yield handlers, store, fake


async def test_each_workspace_is_sent_to_with_its_own_token(harness: Harness) -> None:
    handlers, _, fake = harness
    gateway = handlers.gateway
    await gateway.post(f"slack:{ALPHA}:C1", Message.text("to alpha"))
    await gateway.post(f"slack:{BRAVO}:C1", Message.text("to bravo"))
    await gateway.post_private(f"slack:{BRAVO}:C1", f"slack:{BRAVO}:U1", Message.text("just you"))
    await gateway.publish_home(f"slack:{ALPHA}:U1", {"type": "home", "blocks": []})
    sent = [(c.method, c.args.get("text"), c.token) for c in fake.calls]
    assert sent == [
        ("chat.postMessage", "to alpha", f"xoxb-{ALPHA}-fake"),
        ("chat.postMessage", "to bravo", f"xoxb-{BRAVO}-fake"),
        ("chat.postEphemeral", "just you", f"xoxb-{BRAVO}-fake"),
        ("views.publish", None, f"xoxb-{ALPHA}-fake"),
    ]
    with pytest.raises(SlackRefused) as refused:
        await gateway.post("slack:T0NEVER:C1", Message.text("to nowhere"))
    assert refused.value.error == "not_installed"
    assert len(fake.calls) == 4, "nothing is sent for a workspace with no install"


def lifecycle(
    kind: str, team: str, tokens: dict[str, list[str]] | None = None
) -> dict[str, object]:
    event: dict[str, object] = {"type": kind}
    if tokens is not None:
        event["tokens"] = tokens
    return {"team_id": team, "event": event, "type": "event_callback"}


async def test_uninstall_and_a_revoked_bot_token_forget_only_that_workspace(
    harness: Harness,
) -> None:
    handlers, store, _ = harness
    # a revoked user token (Revans keeps none) takes no bot token
    await handlers.on_lifecycle(ack, lifecycle("tokens_revoked", ALPHA, {"oauth": ["U1"]}), {})
    assert await store.bot_token(ALPHA) == f"xoxb-{ALPHA}-fake"

    await handlers.on_lifecycle(ack, lifecycle("tokens_revoked", ALPHA, {"bot": ["UBOT"]}), {})
    assert await store.bot_token(ALPHA) is None
    assert await store.bot_token(BRAVO) == f"xoxb-{BRAVO}-fake"

    await handlers.on_lifecycle(ack, lifecycle("app_uninstalled", BRAVO), {})
    assert await store.bot_token(BRAVO) is None

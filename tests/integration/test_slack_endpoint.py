"""`POST /slack/events` in-process: bodies that are not Slack's never become a 500."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import CollectorRegistry

from adapters.config import Settings
from adapters.slack.app import build_slack_endpoint
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from tests.confidential import PLANTED
from tests.fakes import FakeClock
from tests.fakes.slack_web_api import FakeSlack, RunningFake
from tests.senders import outbox_sender

SECRET = "endpoint-test-secret-0123456789"


def signed(body: str, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()))
    mac = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={mac}"}


@pytest.fixture
async def client(uow_factory: SqlUnitOfWorkFactory) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with RunningFake(FakeSlack()) as fake:
        settings = Settings(
            slack_bot_token=fake.token,
            slack_signing_secret=SECRET,
            slack_api_url=f"{fake.url}api/",
        )
        core = Core(uow=uow_factory, clock=FakeClock())
        sender = outbox_sender(uow_factory.engine)
        endpoint = build_slack_endpoint(
            settings, core, uow_factory.engine, CollectorRegistry(), sender
        )
        app = web.Application()
        app.router.add_post("/slack/events", endpoint.handle)
        try:
            async with TestClient(TestServer(app)) as test_client:
                yield test_client
        finally:
            await endpoint.close()


BROKEN = [
    ("application/json", "{" + PLANTED),
    ("application/json", "[1, 2]"),
    ("application/json", '"a string"'),
    ("application/x-www-form-urlencoded", "payload=%7B" + PLANTED),
]


@pytest.mark.parametrize(("content_type", "body"), BROKEN)
async def test_an_unsigned_unreadable_body_is_401(
    client: TestClient,  # type: ignore[type-arg]
    content_type: str,
    body: str,
) -> None:
    response = await client.post("/slack/events", data=body, headers={"Content-Type": content_type})
    assert response.status == 401


@pytest.mark.parametrize(("content_type", "body"), BROKEN)
async def test_a_signed_unreadable_body_is_400(
    client: TestClient,  # type: ignore[type-arg]
    content_type: str,
    body: str,
) -> None:
    headers = {"Content-Type": content_type, **signed(body)}
    response = await client.post("/slack/events", data=body, headers=headers)
    assert response.status == 400
    wrong = {"Content-Type": content_type, **signed(body, secret="not-the-secret")}
    assert (await client.post("/slack/events", data=body, headers=wrong)).status == 401


async def test_a_signed_command_without_its_ids_is_acknowledged_not_a_500(
    client: TestClient,  # type: ignore[type-arg]
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = f"command=%2Fset&text=create+{PLANTED}&trigger_id=1.2.3"
    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
    response = await client.post("/slack/events", data=body, headers=headers)
    assert response.status == 200
    assert "a slash command without its team, user or channel id" in caplog.text

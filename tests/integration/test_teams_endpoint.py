"""The endpoint's reuse of botbuilder's per-activity clients, and its configuration."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web

from adapters.config import Settings, load_settings
from adapters.store.uow import SqlUnitOfWorkFactory
from adapters.teams.endpoint import (
    ReusedConnectorFactory,
    auth_config,
    build_teams_endpoint,
    outbound_tokens,
)
from bot.dispatch import Core
from tests.e2e.teams_server import Person, activity
from tests.fakes import FakeClock
from tests.fakes.bot_connector import FakeConnector
from tests.senders import outbox_sender


class CountingFactory:
    def __init__(self) -> None:
        self.created: list[tuple[str, str]] = []

    async def create(self, service_url: str, audience: str) -> Any:
        self.created.append((service_url, audience))
        return object()


class Result:
    def __init__(self, factory: Any) -> None:
        self.connector_factory = factory


async def test_one_connector_client_per_service_url_and_audience() -> None:
    reused = ReusedConnectorFactory()
    inner = CountingFactory()
    for _ in range(3):
        result = reused.around(Result(inner))  # type: ignore[arg-type]
        assert result.connector_factory is reused
        first = await result.connector_factory.create("https://a/", "aud")
    assert await reused.create("https://a/", "aud") is first
    await reused.create("https://b/", "aud")
    assert inner.created == [("https://a/", "aud"), ("https://b/", "aud")]


def test_emulator_mode_and_configured_authentication() -> None:
    emulator = load_settings({}, dotenv="/nonexistent/.env")
    assert auth_config(emulator).APP_TYPE == "MultiTenant"  # botbuilder: auth disabled
    assert outbound_tokens(emulator) is None
    configured = load_settings(
        {
            "MICROSOFT_APP_ID": "app",
            "MICROSOFT_APP_PASSWORD": "pw",
            "MICROSOFT_APP_TENANT_ID": "tenant-1",
            "MICROSOFT_OPENID_METADATA_URL": "http://127.0.0.1:9/.well-known/openidconfiguration",
            "MICROSOFT_TOKEN_ISSUER": "https://issuer.test",
            "MICROSOFT_LOGIN_URL": "http://127.0.0.1:9",
        },
        dotenv="/nonexistent/.env",
    )
    config = auth_config(configured)
    assert (config.APP_ID, config.APP_TYPE, config.APP_TENANTID) == (
        "app",
        "SingleTenant",
        "tenant-1",
    )
    assert config.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER == "https://issuer.test"
    assert config.TO_CHANNEL_FROM_BOT_LOGIN_URL == "http://127.0.0.1:9"
    tokens = outbound_tokens(configured)
    assert tokens is not None and tokens.url == "http://127.0.0.1:9/tenant-1/oauth2/v2.0/token"
    assert "pw" not in repr(tokens)


class LeftEarly:
    """A request whose sender (the Bot Connector, after its timeout) has hung up."""

    content_type = "application/json"

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.headers: dict[str, str] = {}

    async def text(self) -> str:
        return json.dumps(self.body)

    async def read(self) -> bytes:
        return json.dumps(self.body).encode()


async def test_replies_still_go_when_the_connector_hung_up_before_the_answer(
    uow_factory: SqlUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The turn has committed and its inbox row is done (a redelivery is not handled
    again), so its replies must be sent even if the answer cannot be."""
    fake = FakeConnector()
    url = await fake.start()
    endpoint = build_teams_endpoint(
        Settings(),
        Core(uow=uow_factory, clock=FakeClock()),
        uow_factory,
        outbox_sender(uow_factory.engine),
    )
    endpoint.mount(web.Application())

    async def hung_up(self: web.StreamResponse, request: Any) -> None:
        raise ConnectionResetError("Cannot write to closing transport")

    monkeypatch.setattr(web.StreamResponse, "prepare", hung_up)
    ann = Person("Ann")
    body = activity(ann, "help", service_url=url, conversation="a:ann-1on1", kind="personal")
    try:
        with pytest.raises(ConnectionResetError):
            await endpoint.handle(LeftEarly(body))  # type: ignore[arg-type]
        await fake.wait_for(lambda _: bool(fake.sent_to("a:ann-1on1")), timeout=5.0)
    finally:
        await endpoint.close()
        await fake.stop()

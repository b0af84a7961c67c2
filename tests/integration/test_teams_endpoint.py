"""The endpoint's reuse of botbuilder's per-activity clients, and its configuration."""

from __future__ import annotations

from typing import Any

from adapters.config import load_settings
from adapters.teams.endpoint import ReusedConnectorFactory, auth_config, outbound_tokens


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

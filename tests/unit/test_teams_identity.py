"""The Teams bot's identity: `MICROSOFT_APP_TYPE` SingleTenant, MultiTenant or
UserAssignedMSI. Every combination of app id, password and tenant is checked at start-up
and names what is missing or refused; the accepted ones reach botbuilder's configuration
as it expects them, and outbound tokens come from the right place."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from botbuilder.integration.aiohttp.configuration_service_client_credential_factory import (
    ConfigurationServiceClientCredentialFactory,
)
from botframework.connector.auth import (
    ManagedIdentityServiceClientCredentialsFactory,
    PasswordServiceClientCredentialFactory,
)

from adapters.cli import main
from adapters.config import Settings, load_settings
from adapters.teams.endpoint import auth_config, outbound_tokens
from adapters.teams.tokens import ClientCredentialsTokens, ManagedIdentityTokens
from bot.errors import ConfigError

APP, PASSWORD, TENANT = "app-id", "s3cret-value", "tenant-id"
OK = None

# (app type, app id set, password set, tenant set) -> the setting named, or OK.
EXPECTED: dict[tuple[str, bool, bool, bool], str | None] = {
    ("SingleTenant", True, True, True): OK,
    ("SingleTenant", True, True, False): "MICROSOFT_APP_TENANT_ID",
    ("SingleTenant", True, False, True): "MICROSOFT_APP_PASSWORD",
    ("SingleTenant", True, False, False): "MICROSOFT_APP_PASSWORD",
    ("MultiTenant", True, True, True): OK,
    ("MultiTenant", True, True, False): OK,
    ("MultiTenant", True, False, True): "MICROSOFT_APP_PASSWORD",
    ("MultiTenant", True, False, False): "MICROSOFT_APP_PASSWORD",
    ("UserAssignedMSI", True, True, True): "MICROSOFT_APP_PASSWORD",  # refused
    ("UserAssignedMSI", True, True, False): "MICROSOFT_APP_PASSWORD",  # refused
    ("UserAssignedMSI", True, False, True): OK,
    ("UserAssignedMSI", True, False, False): "MICROSOFT_APP_TENANT_ID",
    ("", True, True, True): OK,  # unset: SingleTenant
    ("", True, True, False): "MICROSOFT_APP_TENANT_ID",
    ("", True, False, True): "MICROSOFT_APP_PASSWORD",
    ("", True, False, False): "MICROSOFT_APP_PASSWORD",
}
for kind, password, tenant in itertools.product(
    ("SingleTenant", "MultiTenant", "UserAssignedMSI", ""), (True, False), (True, False)
):  # no app id: the local emulator mode, unless anything else says an identity was meant
    meant = password or tenant or kind == "UserAssignedMSI"
    EXPECTED[(kind, False, password, tenant)] = "MICROSOFT_APP_ID" if meant else OK


def load(kind: str, app: bool, password: bool, tenant: bool) -> Settings:
    values = {
        "MICROSOFT_APP_TYPE": kind,
        "MICROSOFT_APP_ID": APP if app else "",
        "MICROSOFT_APP_PASSWORD": PASSWORD if password else "",
        "MICROSOFT_APP_TENANT_ID": TENANT if tenant else "",
    }
    return load_settings(values, dotenv="/nonexistent/.env")


def test_every_combination_is_listed() -> None:
    assert len(EXPECTED) == 4 * 2 * 2 * 2


@pytest.mark.parametrize(("combination", "named"), sorted(EXPECTED.items()))
def test_each_combination_is_accepted_or_names_the_setting(
    combination: tuple[str, bool, bool, bool], named: str | None
) -> None:
    if named is None:
        settings = load(*combination)
        assert settings.microsoft_app_type == (combination[0] or "SingleTenant")
        return
    with pytest.raises(ConfigError) as raised:
        load(*combination)
    assert raised.value.setting == named
    message = str(raised.value)
    assert PASSWORD not in message and APP not in message
    kind, _, password, tenant = combination
    if named == "MICROSOFT_APP_PASSWORD" and password:
        assert "must not be set for UserAssignedMSI" in message
    if kind == "SingleTenant" and combination[1] and not password and not tenant:
        assert "MICROSOFT_APP_TENANT_ID" in message  # both missing: both named


def test_the_type_is_read_case_insensitively_and_anything_else_is_refused() -> None:
    assert load("userassignedmsi", True, False, True).microsoft_app_type == "UserAssignedMSI"
    assert load("MULTITENANT", True, True, False).microsoft_app_type == "MultiTenant"
    with pytest.raises(ConfigError) as raised:
        load("SystemAssignedMSI", True, False, True)
    assert raised.value.setting == "MICROSOFT_APP_TYPE"
    assert "UserAssignedMSI" in str(raised.value)


@pytest.mark.parametrize(
    ("combination", "factory", "tenant"),
    [
        (("SingleTenant", True, True, True), PasswordServiceClientCredentialFactory, TENANT),
        (("MultiTenant", True, True, False), PasswordServiceClientCredentialFactory, None),
        (
            ("UserAssignedMSI", True, False, True),
            ManagedIdentityServiceClientCredentialsFactory,
            None,
        ),
    ],
)
def test_botbuilder_reads_the_identity_as_its_configuration_expects(
    combination: tuple[str, bool, bool, bool], factory: type, tenant: str | None
) -> None:
    config = auth_config(load(*combination))
    kind = combination[0]
    assert (kind, APP) == (config.APP_TYPE, config.APP_ID)
    built: Any = ConfigurationServiceClientCredentialFactory(config)._inner
    assert type(built) is factory
    if factory is PasswordServiceClientCredentialFactory:
        assert built.tenant_id == tenant and built.password == PASSWORD
    else:
        assert built.app_id == APP


def test_outbound_tokens_come_from_the_password_or_the_managed_identity() -> None:
    single = outbound_tokens(load("SingleTenant", True, True, True))
    assert isinstance(single, ClientCredentialsTokens) and f"/{TENANT}/" in single.url
    multi = outbound_tokens(load("MultiTenant", True, True, False))
    assert isinstance(multi, ClientCredentialsTokens) and "/botframework.com/" in multi.url
    msi = outbound_tokens(load("UserAssignedMSI", True, False, True))
    assert isinstance(msi, ManagedIdentityTokens) and msi.client_id == APP
    assert outbound_tokens(load("", False, False, False)) is None  # emulator


class FakeResponse:
    def __init__(self, body: dict[str, Any]) -> None:
        self.status_code, self.text, self.headers = 200, json.dumps(body), {}


class FakeIdentityEndpoint:
    """The Azure instance metadata service's token endpoint, as msal calls it."""

    def __init__(self) -> None:
        self.asked: list[dict[str, Any]] = []

    def get(self, url: str, params: dict[str, Any] | None = None, **_: Any) -> FakeResponse:
        self.asked.append({"url": url, **(params or {})})
        body = {"access_token": f"mi-token-{len(self.asked)}", "expires_in": "3600"}
        return FakeResponse(
            {**body, "token_type": "Bearer", "resource": params and params.get("resource")}
        )

    def close(self) -> None:
        pass


async def test_a_managed_identity_token_is_asked_for_the_bot_framework_with_its_client_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET"):
        monkeypatch.delenv(name, raising=False)
    endpoint = FakeIdentityEndpoint()
    tokens = ManagedIdentityTokens(client_id=APP, http_client=endpoint)
    assert await tokens.token() == "mi-token-1"
    assert await tokens.token() == "mi-token-1"  # cached
    assert await tokens.token(refresh=True) == "mi-token-2"  # after a 401: a new one
    (first, _) = endpoint.asked
    assert first["resource"] == "https://api.botframework.com"
    assert first["client_id"] == APP


def test_start_up_stops_naming_the_setting_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name, value in {
        "MICROSOFT_APP_TYPE": "UserAssignedMSI",
        "MICROSOFT_APP_ID": APP,
        "MICROSOFT_APP_PASSWORD": PASSWORD,
        "MICROSOFT_APP_TENANT_ID": TENANT,
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "MICROSOFT_APP_PASSWORD: must not be set for UserAssignedMSI" in err
    assert "Traceback" not in err and PASSWORD not in err

"""Teams settings: inconsistent ones fail at start-up naming the setting."""

from __future__ import annotations

import pytest

from adapters.config import load_settings
from bot.errors import ConfigError

BASE = {"MICROSOFT_APP_ID": "app", "MICROSOFT_APP_PASSWORD": "pw", "MICROSOFT_APP_TENANT_ID": "t"}


def settings(**values: str) -> object:
    return load_settings(values, dotenv="/nonexistent/.env")


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"MICROSOFT_APP_ID": "app"}, "MICROSOFT_APP_PASSWORD"),
        ({"MICROSOFT_APP_PASSWORD": "pw"}, "MICROSOFT_APP_ID"),
        ({"MICROSOFT_APP_ID": "app", "MICROSOFT_APP_PASSWORD": "pw"}, "MICROSOFT_APP_TENANT_ID"),
        ({**BASE, "MICROSOFT_APP_TYPE": "Anything"}, "MICROSOFT_APP_TYPE"),
        ({**BASE, "MICROSOFT_OPENID_METADATA_URL": "http://127.0.0.1/x"}, "MICROSOFT_TOKEN_ISSUER"),
        ({**BASE, "MICROSOFT_TOKEN_ISSUER": "https://i"}, "MICROSOFT_OPENID_METADATA_URL"),
        ({**BASE, "MICROSOFT_LOGIN_URL": "login.example"}, "MICROSOFT_LOGIN_URL"),
    ],
)
def test_inconsistent_teams_settings_name_the_setting(values: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings(**values)
    assert raised.value.setting == named
    assert "pw" not in str(raised.value)


def test_consistent_teams_settings() -> None:
    assert settings().microsoft_app_id is None  # type: ignore[attr-defined]  # emulator mode
    single = settings(**BASE)
    assert single.microsoft_app_type == "SingleTenant"  # type: ignore[attr-defined]
    multi = settings(
        MICROSOFT_APP_ID="a", MICROSOFT_APP_PASSWORD="p", MICROSOFT_APP_TYPE="MultiTenant"
    )
    assert multi.microsoft_app_tenant_id is None  # type: ignore[attr-defined]

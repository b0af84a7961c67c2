"""Start-up settings: a bad value fails with a `ConfigError` naming the setting."""

from __future__ import annotations

import pytest

from adapters.config import http_mode, load_settings, socket_mode
from adapters.slack.app import slack_enabled
from bot.errors import ConfigError


def settings_from(**environ: str) -> object:
    return load_settings(environ, dotenv="/nonexistent/.env")


@pytest.mark.parametrize(
    "url",
    ["nonsense", "mysql://revans@db/revans", "postgresql+psycopg2://u@h/db", "://x"],
)
def test_an_unusable_database_url_names_the_setting(url: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from(DATABASE_URL=url)
    assert raised.value.setting == "DATABASE_URL"


def test_a_database_url_with_a_password_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from(DATABASE_URL="mysql://revans:s3cret-PLANTED@db/revans")
    assert "s3cret" not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+aiosqlite:///revans.db",
        "sqlite:///relative.db",
        "postgres://u:p@127.0.0.1/revans",
        "postgresql://u:p@127.0.0.1:5432/revans",
        "postgresql+asyncpg://u:p@127.0.0.1/revans",
    ],
)
def test_the_database_urls_people_paste_are_accepted(url: str) -> None:
    settings_from(DATABASE_URL=url)


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "0", "-3", "soon"])
def test_the_sweep_interval_must_be_a_finite_positive_number(raw: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from(REVANS_SWEEP_SECONDS=raw)
    assert raised.value.setting == "REVANS_SWEEP_SECONDS"


@pytest.mark.parametrize("raw", ["²", "0", "65536", "80a", "-1"])
def test_a_bad_port_names_the_setting(raw: str) -> None:
    with pytest.raises(ConfigError) as raised:
        settings_from(PORT=raw)
    assert raised.value.setting == "PORT"


BOT = "xoxb-1-bot-s3cret"


@pytest.mark.parametrize(
    ("environ", "setting", "says"),
    [
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": "x"}, "SLACK_APP_TOKEN", "xapp-"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": BOT}, "SLACK_APP_TOKEN", "'xapp-'"),
        ({"SLACK_APP_TOKEN": "xapp-1-A-1-s3cret"}, "SLACK_BOT_TOKEN", "xoxb-"),
    ],
)
def test_socket_mode_names_the_token_it_lacks_and_never_echoes_one(
    environ: dict[str, str], setting: str, says: str
) -> None:
    settings = load_settings(environ, dotenv="/nonexistent/.env")
    with pytest.raises(ConfigError) as raised:
        socket_mode(settings)
    assert raised.value.setting == setting and says in str(raised.value)
    assert "s3cret" not in str(raised.value)


def test_socket_mode_needs_no_signing_secret_but_http_does() -> None:
    tokens = {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": "xapp-1-A-1-x"}
    settings = socket_mode(load_settings(tokens, dotenv="/nonexistent/.env"))
    assert settings.slack_socket_mode and slack_enabled(settings)
    with pytest.raises(ConfigError) as raised:
        http_mode(load_settings(tokens, dotenv="/nonexistent/.env"))
    assert raised.value.setting == "SLACK_SIGNING_SECRET" and "--socket-mode" in str(raised.value)
    with pytest.raises(ConfigError) as raised:
        http_mode(load_settings({"SLACK_BOT_TOKEN": BOT}, dotenv="/nonexistent/.env"))
    assert raised.value.setting == "SLACK_SIGNING_SECRET"


CLIENT = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "client-s3cret"}


@pytest.mark.parametrize(
    ("environ", "setting", "says"),
    [
        ({"SLACK_CLIENT_ID": "1111.2222", "SLACK_SIGNING_SECRET": "x"}, "SLACK_CLIENT_SECRET", ""),
        (CLIENT, "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"),
        ({"SLACK_CLIENT_ID": "1111.2222"}, "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"),
        ({"SLACK_CLIENT_SECRET": "client-s3cret"}, "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"),
        (
            {**CLIENT, "SLACK_SIGNING_SECRET": "x", "SLACK_BOT_TOKEN": BOT},
            "SLACK_BOT_TOKEN",
            "each workspace's bot token",
        ),
        ({"SLACK_SIGNING_SECRET": "x"}, "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"),
    ],
)
def test_multi_workspace_mode_names_what_is_missing_and_never_echoes_a_secret(
    environ: dict[str, str], setting: str, says: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(environ, dotenv="/nonexistent/.env")
    assert raised.value.setting == setting and says in str(raised.value)
    assert "s3cret" not in str(raised.value)


def test_client_id_and_secret_with_the_signing_secret_serve_any_number_of_workspaces() -> None:
    settings = load_settings({**CLIENT, "SLACK_SIGNING_SECRET": "x"}, dotenv="/nonexistent/.env")
    assert slack_enabled(http_mode(settings))
    with pytest.raises(ConfigError) as raised:
        socket_mode(
            load_settings(
                {**CLIENT, "SLACK_SIGNING_SECRET": "x", "SLACK_APP_TOKEN": "xapp-1"},
                dotenv="/nonexistent/.env",
            )
        )
    assert raised.value.setting == "SLACK_CLIENT_ID" and "--socket-mode" in str(raised.value)

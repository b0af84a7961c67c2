"""Settings from the environment (and `.env`), checked at start-up.

Missing or inconsistent settings raise `ConfigError` naming the setting.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TypedDict

from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adapters.store.engine import DEFAULT_DATABASE_URL, normalise_url
from bot.errors import ConfigError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    log_level: str = "INFO"
    sweep_seconds: float = 30.0
    lease_seconds: float = 15.0
    """How long an unfinished delivery or an unsent reply is held by the process handling
    it before another (a restarted one, a replica) takes it over; renewed while running."""
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    """An app-level token (xapp-…) for Socket Mode: `revans serve --socket-mode`."""
    slack_socket_mode: bool = False
    """Set by `revans serve --socket-mode` (see `socket_mode`), never by the environment."""
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_command: str = "/set"
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = None
    microsoft_app_type: str = "SingleTenant"
    """SingleTenant, MultiTenant or UserAssignedMSI (then the app id is the managed
    identity's client id, and there is no password)."""
    microsoft_app_tenant_id: str | None = None
    microsoft_openid_metadata_url: str | None = None
    """Sovereign clouds and tests: where inbound tokens' signing keys are published."""
    microsoft_token_issuer: str | None = None
    microsoft_login_url: str = "https://login.microsoftonline.com"

    def __repr__(self) -> str:  # never print secrets
        return f"Settings(database_url=<set>, port={self.port}, log_level={self.log_level})"


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: str = ".env") -> Settings:
    """Environment variables win over `.env`; empty values count as unset."""
    values: dict[str, str] = {
        k: v for k, v in dotenv_values(dotenv).items() if v is not None and os.path.exists(dotenv)
    }
    values.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        return (values.get(name) or "").strip() or None

    settings = Settings(
        database_url=_database_url(get("DATABASE_URL")),
        port=_int(get("PORT"), "PORT", 3000),
        log_level=_log_level(get("LOG_LEVEL")),
        sweep_seconds=_positive(get("REVANS_SWEEP_SECONDS"), "REVANS_SWEEP_SECONDS", 30.0),
        lease_seconds=_positive(get("REVANS_LEASE_SECONDS"), "REVANS_LEASE_SECONDS", 15.0),
        slack_bot_token=get("SLACK_BOT_TOKEN"),
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=get("SLACK_APP_TOKEN"),
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
        slack_api_url=_api_url(get("SLACK_API_URL")),
        slack_command=_slack_command(get("SLACK_COMMAND")),
        microsoft_app_id=get("MICROSOFT_APP_ID"),
        microsoft_app_password=get("MICROSOFT_APP_PASSWORD"),
        microsoft_app_tenant_id=get("MICROSOFT_APP_TENANT_ID"),
        **_microsoft(get),
    )
    _check_slack(settings)
    return settings


def slack_multi_workspace(settings: Settings) -> bool:
    """SLACK_CLIENT_ID (with its secret) switches on installs into any number of
    workspaces through `/slack/install`; each workspace's bot token is then stored."""
    return bool(settings.slack_client_id)


def _check_slack(settings: Settings) -> None:
    """A signing secret needs the bot token with it (single workspace), or the app's
    client id and secret (multi-workspace install). (The token needs the secret to serve
    over HTTP, and the app-level token for Socket Mode: `http_mode`, `socket_mode`.)
    """
    token, secret = settings.slack_bot_token, settings.slack_signing_secret
    client_id, client_secret = settings.slack_client_id, settings.slack_client_secret
    if client_secret and not client_id:
        raise ConfigError(
            "SLACK_CLIENT_ID",
            "must be set with SLACK_CLIENT_SECRET (the app's Basic Information page)",
        )
    if client_id:
        missing = [
            name
            for name, value in (
                ("SLACK_CLIENT_SECRET", client_secret),
                ("SLACK_SIGNING_SECRET", secret),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                missing[0],
                "must be set with SLACK_CLIENT_ID for multi-workspace installs"
                f" (missing: {', '.join(missing)}; the app's Basic Information page)",
            )
        if token:
            raise ConfigError(
                "SLACK_BOT_TOKEN",
                "must not be set with SLACK_CLIENT_ID: each workspace's bot token comes from "
                "its install (unset SLACK_CLIENT_ID to serve one workspace)",
            )
        return
    if secret and not token:
        raise ConfigError(
            "SLACK_BOT_TOKEN",
            "must be set when SLACK_SIGNING_SECRET is set "
            "(or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, to install into many workspaces)",
        )


APP_TOKEN_PREFIX = "xapp-"


def socket_mode(settings: Settings) -> Settings:
    """The settings for `revans serve --socket-mode`: Slack's events arrive over a
    WebSocket the server opens (no public URL, no signed requests), which needs the bot
    token and an app-level token (xapp-…, scope connections:write). Token values are
    never quoted in the error."""
    app_token = settings.slack_app_token
    if settings.slack_client_id:
        raise ConfigError(
            "SLACK_CLIENT_ID",
            "multi-workspace installs are served over HTTP: unset it for --socket-mode "
            "(one workspace, SLACK_BOT_TOKEN)",
        )
    if not app_token:
        raise ConfigError(
            "SLACK_APP_TOKEN",
            "is required for --socket-mode: an app-level token (xapp-…) with the "
            "connections:write scope, from the app's Basic Information page",
        )
    if not app_token.startswith(APP_TOKEN_PREFIX):
        raise ConfigError(
            "SLACK_APP_TOKEN",
            f"must be an app-level token starting with {APP_TOKEN_PREFIX!r} "
            "(not a bot token xoxb-… or a user token)",
        )
    if not settings.slack_bot_token:
        raise ConfigError(
            "SLACK_BOT_TOKEN", "is required for --socket-mode (the bot token, xoxb-…)"
        )
    return replace(settings, slack_socket_mode=True)


def http_mode(settings: Settings) -> Settings:
    """The settings for `revans serve` without --socket-mode: Slack's requests are
    signed, so a bot token without the signing secret cannot be served."""
    if settings.slack_bot_token and not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            "must be set to serve Slack over HTTP (or run `revans serve --socket-mode`)",
        )
    return settings


MICROSOFT_APP_TYPES = ("SingleTenant", "MultiTenant", "UserAssignedMSI")
"""As botbuilder's configuration spells them (it reads them case-insensitively)."""
NEEDS_PASSWORD = ("SingleTenant", "MultiTenant")
NEEDS_TENANT = ("SingleTenant", "UserAssignedMSI")


class MicrosoftEndpoints(TypedDict):
    microsoft_app_type: str
    microsoft_openid_metadata_url: str | None
    microsoft_token_issuer: str | None
    microsoft_login_url: str


def microsoft_app_type(raw: str | None) -> str:
    """The app type in botbuilder's spelling; SingleTenant when unset."""
    spelled = {kind.lower(): kind for kind in MICROSOFT_APP_TYPES}.get((raw or "").lower())
    if raw and spelled is None:
        raise ConfigError(
            "MICROSOFT_APP_TYPE", f"must be one of {', '.join(MICROSOFT_APP_TYPES)}, not {raw!r}"
        )
    return spelled or "SingleTenant"


def _check_identity(get: Callable[[str], str | None], app_type: str) -> None:
    """Each app type's settings: SingleTenant needs the password and the tenant,
    MultiTenant the password, UserAssignedMSI (MICROSOFT_APP_ID is the managed identity's
    client id) the tenant and no password. No app id at all is emulator mode."""
    app_id, password, tenant = (
        get("MICROSOFT_APP_ID"),
        get("MICROSOFT_APP_PASSWORD"),
        get("MICROSOFT_APP_TENANT_ID"),
    )
    if not app_id:
        given = [name for name, value in _identity(password, tenant) if value]
        if app_type == "UserAssignedMSI":
            given.append("MICROSOFT_APP_TYPE=UserAssignedMSI")
        if given:
            raise ConfigError(
                "MICROSOFT_APP_ID",
                f"is required with {' and '.join(given)} (leave them all unset for the "
                "local emulator mode)",
            )
        return
    if app_type == "UserAssignedMSI" and password:
        raise ConfigError(
            "MICROSOFT_APP_PASSWORD",
            "must not be set for UserAssignedMSI: a managed identity has no secret "
            "(MICROSOFT_APP_ID is its client id)",
        )
    missing = [
        name
        for name, needed, value in (
            ("MICROSOFT_APP_PASSWORD", app_type in NEEDS_PASSWORD, password),
            ("MICROSOFT_APP_TENANT_ID", app_type in NEEDS_TENANT, tenant),
        )
        if needed and not value
    ]
    if missing:
        also = "".join(f", and so is {name}," for name in missing[1:])
        raise ConfigError(
            missing[0], f"is required{also} for a {app_type} app (MICROSOFT_APP_TYPE)"
        )


def _identity(password: str | None, tenant: str | None) -> tuple[tuple[str, str | None], ...]:
    return (("MICROSOFT_APP_PASSWORD", password), ("MICROSOFT_APP_TENANT_ID", tenant))


def _microsoft(get: Callable[[str], str | None]) -> MicrosoftEndpoints:
    """Teams settings: the identity (`_check_identity`) and the endpoints."""
    app_type = microsoft_app_type(get("MICROSOFT_APP_TYPE"))
    _check_identity(get, app_type)
    metadata, issuer = get("MICROSOFT_OPENID_METADATA_URL"), get("MICROSOFT_TOKEN_ISSUER")
    if bool(metadata) != bool(issuer):
        missing = "MICROSOFT_TOKEN_ISSUER" if metadata else "MICROSOFT_OPENID_METADATA_URL"
        raise ConfigError(
            missing, "MICROSOFT_OPENID_METADATA_URL and MICROSOFT_TOKEN_ISSUER go together"
        )
    for name in ("MICROSOFT_OPENID_METADATA_URL", "MICROSOFT_LOGIN_URL"):
        value = get(name)
        if value and not value.startswith(("http://", "https://")):
            raise ConfigError(name, f"must be an http(s) URL, not {value!r}")
    return MicrosoftEndpoints(
        microsoft_app_type=app_type,
        microsoft_openid_metadata_url=metadata,
        microsoft_token_issuer=issuer,
        microsoft_login_url=get("MICROSOFT_LOGIN_URL") or "https://login.microsoftonline.com",
    )


DATABASE_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


def _database_url(raw: str | None) -> str:
    """SQLite or PostgreSQL, in any spelling `normalise_url` accepts. The URL may hold
    a password, so the message names the problem, never the value."""
    url = raw or DEFAULT_DATABASE_URL
    try:
        driver = make_url(normalise_url(url)).drivername
    except ArgumentError:
        raise ConfigError("DATABASE_URL", "is not a database URL") from None
    if driver not in DATABASE_DRIVERS:
        raise ConfigError(
            "DATABASE_URL",
            f"must be a SQLite (sqlite:///FILE) or PostgreSQL (postgresql://…) URL, not {driver!r}",
        )
    return url


def _int(raw: str | None, name: str, default: int) -> int:
    if raw is None:
        return default
    if not raw.isdecimal() or not 0 < int(raw) < 65536:
        raise ConfigError(name, f"must be a port number between 1 and 65535, not {raw!r}")
    return int(raw)


def _positive(raw: str | None, name: str, default: float) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(name, f"must be a positive number of seconds, not {raw!r}")
    return value


def _log_level(raw: str | None) -> str:
    level = (raw or "INFO").upper()
    if level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}, not {raw!r}")
    return level


def _api_url(raw: str | None) -> str:
    url = raw or "https://slack.com/api/"
    if not url.startswith(("http://", "https://")) or not url.endswith("/"):
        raise ConfigError("SLACK_API_URL", f"must be an http(s) URL ending in '/', not {url!r}")
    return url


def _slack_command(raw: str | None) -> str:
    command = raw or "/set"
    if not command.startswith("/") or " " in command:
        raise ConfigError("SLACK_COMMAND", f"must look like '/set', not {command!r}")
    return command

"""slack_sdk's async installation and OAuth state stores over our own database.

slack_sdk ships SQLAlchemy stores, but synchronous ones (they would block the server's
event loop) on tables of their own; these implement the same interfaces
(`AsyncInstallationStore`, `AsyncOAuthStateStore`) over our async engine and the tables
of `adapters.store.slack_installs`, created by our migrations. Only the bot's side of an
installation is kept: Revans asks for no user scopes. Tokens are never logged.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from sqlalchemy import ColumnElement, and_, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.engine import writing
from adapters.store.slack_installs import NO_ENTERPRISE, SlackInstallationRow, SlackOAuthStateRow

log = logging.getLogger(__name__)

INSTALLS = SlackInstallationRow.__table__  # type: ignore[attr-defined]
STATES = SlackOAuthStateRow.__table__  # type: ignore[attr-defined]
STATE_LIFETIME = timedelta(minutes=10)
TOKEN_TTL_SECONDS = 60.0
"""How long `bot_token` trusts a token it read (see there)."""
"""How long an install may take between `/slack/install` and Slack's redirect back."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> ColumnElement[bool]:
    """The row of one workspace, or of one org for an org-wide install."""
    team = "" if is_enterprise_install else (team_id or "")
    return and_(
        INSTALLS.c.enterprise_id == (enterprise_id or NO_ENTERPRISE), INSTALLS.c.team_id == team
    )


def _bot(row: Any) -> Bot:
    return Bot(
        app_id=row.app_id,
        enterprise_id=row.enterprise_id or None,
        enterprise_name=row.enterprise_name,
        team_id=row.team_id or None,
        team_name=row.team_name,
        bot_token=row.bot_token,
        bot_id=row.bot_id,
        bot_user_id=row.bot_user,
        bot_scopes=row.bot_scopes,
        is_enterprise_install=row.is_enterprise_install,
        installed_at=row.installed_at,
    )


class SqlInstallationStore(AsyncInstallationStore):
    """Installations by workspace: saving one replaces that workspace's earlier one."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        now: Callable[[], datetime] = _utc_now,
        token_ttl: float = TOKEN_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.now = now
        self.token_ttl = token_ttl
        self.clock = clock
        self._tokens: dict[str, tuple[str | None, float]] = {}
        """team id → (bot token or None, when it was read): `bot_token`'s cache."""

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        if not (installation.bot_token and installation.bot_id and installation.bot_user_id):
            log.warning("slack: an installation without a bot token was not kept")
            return
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        key = _key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        row = {
            "enterprise_id": bot.enterprise_id or NO_ENTERPRISE,
            "team_id": "" if bot.is_enterprise_install else (bot.team_id or ""),
            "is_enterprise_install": bool(bot.is_enterprise_install),
            "app_id": bot.app_id,
            "team_name": bot.team_name,
            "enterprise_name": bot.enterprise_name,
            "bot_token": bot.bot_token,
            "bot_id": bot.bot_id,
            "bot_user": bot.bot_user_id,
            "bot_scopes": ",".join(bot.bot_scopes or []),
            "installed_at": self.now(),
        }
        async with writing(self.engine) as conn:
            await conn.execute(delete(INSTALLS).where(key))
            await conn.execute(insert(INSTALLS).values(**row))
        self._tokens.clear()
        log.info("slack: installed in workspace %s", row["team_id"] or row["enterprise_id"])

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        async with self.engine.connect() as conn:
            found = (
                await conn.execute(
                    select(INSTALLS).where(_key(enterprise_id, team_id, is_enterprise_install))
                )
            ).first()
        return _bot(found) if found else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The workspace's installation (no user token is kept, so `user_id` finds none)."""
        if user_id is not None:
            return None
        bot = await self.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None:
            return None
        return Installation(
            app_id=bot.app_id,
            enterprise_id=bot.enterprise_id,
            enterprise_name=bot.enterprise_name,
            team_id=bot.team_id,
            team_name=bot.team_name,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            user_id=bot.bot_user_id,  # the installer is not kept (see the module)
            is_enterprise_install=bot.is_enterprise_install,
            installed_at=bot.installed_at,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id, team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # one person's user token: none is kept
            await self._delete(enterprise_id, team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id, team_id)

    async def _delete(self, enterprise_id: str | None, team_id: str | None) -> None:
        async with writing(self.engine) as conn:
            await conn.execute(delete(INSTALLS).where(_key(enterprise_id, team_id, not team_id)))
        self._tokens.clear()
        log.info("slack: forgot the tokens of workspace %s", team_id or enterprise_id)

    async def bot_token(self, team_id: str) -> str | None:
        """The bot token for a workspace, by its team id alone (our ids carry no org).

        Every reply and every due message asks, so an answer is kept for `token_ttl`
        seconds; saving or deleting an installation through this store forgets them all
        at once. Another replica may use a token for up to that long after an uninstall
        it did not see, and Slack then refuses it as revoked."""
        cached = self._tokens.get(team_id)
        if cached is not None and self.clock() - cached[1] < self.token_ttl:
            return cached[0]
        async with self.engine.connect() as conn:
            found = (
                await conn.execute(
                    select(INSTALLS.c.bot_token)
                    .where(INSTALLS.c.team_id == team_id)
                    .order_by(INSTALLS.c.installed_at.desc())
                    .limit(1)
                )
            ).scalar()
        token = str(found) if found else None
        self._tokens[team_id] = (token, self.clock())
        return token


class SqlOAuthStateStore(AsyncOAuthStateStore):
    """One-time `state` values: each is consumed once, before it expires."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        lifetime: timedelta = STATE_LIFETIME,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.engine = engine
        self.lifetime = lifetime
        self.now = now

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(32)
        async with writing(self.engine) as conn:
            await conn.execute(
                insert(STATES).values(state=state, expires_at=self.now() + self.lifetime)
            )
        return state

    async def async_consume(self, state: str) -> bool:
        now = self.now()
        async with writing(self.engine) as conn:
            taken = await conn.execute(
                delete(STATES).where(and_(STATES.c.state == state, STATES.c.expires_at > now))
            )
            await conn.execute(delete(STATES).where(STATES.c.expires_at <= now))
        return bool(taken.rowcount == 1)

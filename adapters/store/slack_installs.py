"""Tables for Slack's multi-workspace install (`adapters.slack.installations` reads them).

`slack_installation`: one row per installed workspace (or Enterprise Grid org), holding
its bot token, the one secret Revans needs to act there. Revans asks for no user
scopes, so no user token and no installer is kept (nothing here is about a person: the
bot's own Slack user id is `bot_user`, not a person's id). `slack_oauth_state`: the
one-time `state` values of installs in progress, each good until `expires_at`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from adapters.store.types import UTCDateTime

NO_ENTERPRISE = ""
"""Stands for "no Enterprise Grid org" in the key (NULLs would not be unique)."""


class SlackInstallationRow(SQLModel, table=True):
    __tablename__ = "slack_installation"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id", name="uq_slack_installation"),)

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default=NO_ENTERPRISE, max_length=32)
    team_id: str = Field(default="", max_length=32)
    """"" for an org-wide (Enterprise Grid) install."""
    is_enterprise_install: bool = False
    app_id: str | None = Field(default=None, max_length=32)
    team_name: str | None = Field(default=None, max_length=200)
    enterprise_name: str | None = Field(default=None, max_length=200)
    bot_token: str = Field(max_length=255)
    bot_id: str = Field(max_length=32)
    bot_user: str = Field(max_length=32)
    bot_scopes: str = Field(default="", max_length=2000)
    installed_at: datetime = Field(sa_column=Column(UTCDateTime(timezone=True), nullable=False))


class SlackOAuthStateRow(SQLModel, table=True):
    __tablename__ = "slack_oauth_state"

    state: str = Field(primary_key=True, max_length=128)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(timezone=True), nullable=False))

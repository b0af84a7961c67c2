"""Tables the Teams adapter owns: how to speak again in a conversation, and to a user.

The core never sees these; it knows only the opaque place and user ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from adapters.store.tables import utc_column


class TeamsConversationRow(SQLModel, table=True):
    """A channel, group chat or 1:1 chat the bot has seen, by place id."""

    __tablename__ = "teams_conversation"

    place_id: str = Field(primary_key=True, max_length=255)
    reference: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_column=utc_column())


class TeamsPersonalChatRow(SQLModel, table=True):
    """How to reach one user privately.

    `member_id`/`service_url`/`tenant_id` are enough to create the 1:1 chat
    (`POST /v3/conversations`); `reference` is the 1:1 chat once known.
    `refused_at` records a 403 (the app is not installed for the user) so we do
    not retry every time; seeing the user in a 1:1 or an install clears it.
    """

    __tablename__ = "teams_personal_chat"
    __table_args__ = (Index("ix_teams_personal_chat_member", "member_id"),)

    user_id: str = Field(primary_key=True, max_length=255)
    member_id: str = Field(max_length=255)
    service_url: str = Field(max_length=500)
    tenant_id: str | None = Field(default=None, max_length=64)
    bot_id: str = Field(max_length=255)
    reference: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    refused_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_at: datetime = Field(sa_column=utc_column())


class TeamsPendingFileRow(SQLModel, table=True):
    """A file sent to `user_id` that waits for their consent (`adapters.teams.files`);
    forgotten once they allow (after the upload) or decline."""

    __tablename__ = "teams_pending_file"
    __table_args__ = (Index("ix_teams_pending_file_user", "user_id"),)

    id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(max_length=255)
    filename: str = Field(max_length=255)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    """The file's bytes: its reader's own content (named as set content is, for erasure)."""
    created_at: datetime = Field(sa_column=utc_column())


class TeamsUnreachableReportRow(SQLModel, table=True):
    """The set's facilitators were told that Revans cannot message `user_id` privately
    (their 1:1 answered 403): said once per member and set, also across restarts; forgotten
    when the person's 1:1 works again, so a later refusal is news again."""

    __tablename__ = "teams_unreachable_report"

    set_id: str = Field(primary_key=True, foreign_key="learning_set.id", max_length=64)
    user_id: str = Field(primary_key=True, max_length=255)
    reported_at: datetime = Field(sa_column=utc_column())

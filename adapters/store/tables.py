"""SQLModel tables of the core's records. Schema changes go through Alembic only."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from adapters.store.types import UTCDateTime


def utc_column(*, nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(UTCDateTime(), nullable=nullable)


class SetRow(SQLModel, table=True):
    __tablename__ = "learning_set"

    id: str = Field(primary_key=True, max_length=64)
    place_id: str = Field(max_length=255, unique=True)
    platform: str = Field(max_length=32)
    name: str = Field(max_length=200)
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_column=utc_column())
    tz: str = Field(max_length=64)
    status: str = Field(max_length=16)
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"

    user_id: str = Field(primary_key=True, max_length=255)
    display_name: str = Field(max_length=200)
    platform_tz: str | None = Field(default=None, max_length=64)
    tz: str | None = Field(default=None, max_length=64)


class MembershipRow(SQLModel, table=True):
    __tablename__ = "membership"
    __table_args__ = (Index("ix_membership_user", "user_id"),)

    set_id: str = Field(primary_key=True, foreign_key="learning_set.id", max_length=64)
    user_id: str = Field(primary_key=True, max_length=255)
    role: str = Field(max_length=16)
    joined_at: datetime = Field(sa_column=utc_column())
    agreed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    left_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    removed: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    """A facilitator removed them: only a facilitator's `add` brings them back."""


class ContributionRow(SQLModel, table=True):
    __tablename__ = "contribution"
    __table_args__ = (
        Index("ix_contribution_thread", "place_id", "thread_id"),
        Index("ix_contribution_set", "set_id"),
    )

    place_id: str = Field(primary_key=True, max_length=255)
    message_id: str = Field(primary_key=True, max_length=255)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    author_id: str = Field(max_length=255)
    text: str
    thread_id: str | None = Field(default=None, max_length=255)
    posted_at: datetime = Field(sa_column=utc_column())
    edited_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))

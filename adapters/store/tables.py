"""SQLModel tables of the core's records. Schema changes go through Alembic only."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Column, Index, UniqueConstraint
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


class StatementRow(SQLModel, table=True):
    """Every revision of a challenge or goal; `owner_id` empty for a shared challenge."""

    __tablename__ = "statement"
    __table_args__ = (UniqueConstraint("set_id", "owner_id", "kind", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    owner_id: str = Field(max_length=255)
    kind: str = Field(max_length=16)
    revision: int
    text: str
    written_at: datetime = Field(sa_column=utc_column())
    written_by: str = Field(max_length=255)


class MeetingRow(SQLModel, table=True):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_set_starts", "set_id", "starts_at"),)

    id: str = Field(primary_key=True, max_length=64)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    starts_at: datetime = Field(sa_column=utc_column())
    created_at: datetime = Field(sa_column=utc_column())
    series_id: str | None = Field(default=None, max_length=64)
    cancelled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class GuestInvitationRow(SQLModel, table=True):
    __tablename__ = "guest_invitation"

    set_id: str = Field(primary_key=True, foreign_key="learning_set.id", max_length=64)
    user_id: str = Field(primary_key=True, max_length=255)
    meeting_id: str = Field(primary_key=True, foreign_key="meeting.id", max_length=64)
    invited_by: str = Field(max_length=255)
    invited_at: datetime = Field(sa_column=utc_column())


class SponsorLinkRow(SQLModel, table=True):
    __tablename__ = "sponsor_link"
    __table_args__ = (Index("ix_sponsor_link_sponsor", "set_id", "sponsor_id"),)

    set_id: str = Field(primary_key=True, foreign_key="learning_set.id", max_length=64)
    member_id: str = Field(primary_key=True, max_length=255)
    sponsor_id: str = Field(max_length=255)
    linked_at: datetime = Field(sa_column=utc_column())


class AirtimeBidRow(SQLModel, table=True):
    __tablename__ = "airtime_bid"

    meeting_id: str = Field(primary_key=True, foreign_key="meeting.id", max_length=64)
    user_id: str = Field(primary_key=True, max_length=255)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    bid_at: datetime = Field(sa_column=utc_column())
    minutes: int | None = None
    note: str | None = None


class PersonSettingsRow(SQLModel, table=True):
    __tablename__ = "person_settings"

    user_id: str = Field(primary_key=True, max_length=255)
    hours: str | None = Field(default=None, max_length=11)
    """"HH:MM-HH:MM"."""
    days: str | None = Field(default=None, max_length=20)
    """Weekday numbers, Monday 0, comma-separated."""
    language: str | None = Field(default=None, max_length=8)
    nudges: bool = True
    coaching: bool = True
    away_until: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class SetOptionsRow(SQLModel, table=True):
    __tablename__ = "set_options"

    set_id: str = Field(primary_key=True, foreign_key="learning_set.id", max_length=64)
    agreement: str | None = None
    format: str = Field(default="own", max_length=8)
    live: str | None = Field(default=None, max_length=32)
    """Five minute counts, "P/Q/R/C/S"."""
    checkin: str | None = Field(default=None, max_length=8)
    """None, "off", or a weekday number."""
    coaching: bool = True
    fishbowl: str = ""
    """Inner-set user ids, newline-separated."""
    language: str | None = Field(default=None, max_length=8)

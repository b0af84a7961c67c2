"""Meetings as held, their rounds, and the counts of who took part: tables and repositories.

At most one open meeting and one open round per set, held by partial unique indexes
(`closed_at IS NULL`) on both databases. A round is saved only over an earlier step
of itself (`UPDATE … WHERE step < :step`), so of two concurrent changes to one round
(a phase ending on its timer as a facilitator types `round next`) one wins and the
other is a `Conflict`, never a silent overwrite.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Index, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from adapters.store.tables import utc_column
from bot.errors import Conflict
from bot.model import HeldMeeting, MessageRole, Mode, Phase, Round, RoundMessage
from bot.model.rounds import Lengths

OPEN = text("closed_at IS NULL")
ROUND_CLASH = (
    "Someone else changed the round at the same moment, so nothing was saved. Please try again."
)


class HeldMeetingRow(SQLModel, table=True):
    __tablename__ = "held_meeting"
    __table_args__ = (
        Index(
            "uq_held_meeting_open", "set_id", unique=True, sqlite_where=OPEN, postgresql_where=OPEN
        ),
    )

    id: str = Field(primary_key=True, max_length=64)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    planned_id: str | None = Field(default=None, foreign_key="meeting.id", max_length=64)
    opened_at: datetime = Field(sa_column=utc_column())
    opened_by: str = Field(max_length=255)
    agenda: str = ""
    """Presenters' user ids in agenda order, newline-separated."""
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class RoundRow(SQLModel, table=True):
    __tablename__ = "learning_round"
    __table_args__ = (
        Index("uq_round_open", "set_id", unique=True, sqlite_where=OPEN, postgresql_where=OPEN),
        Index("ix_round_meeting", "meeting_id"),
    )

    id: str = Field(primary_key=True, max_length=64)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    meeting_id: str = Field(foreign_key="held_meeting.id", max_length=64)
    presenter_id: str = Field(max_length=255)
    mode: str = Field(max_length=8)
    lengths: str = Field(max_length=80)
    """Five phase lengths in whole seconds, "P/Q/R/C/S"."""
    started_at: datetime = Field(sa_column=utc_column())
    started_by: str = Field(max_length=255)
    phase: str = Field(max_length=16)
    phase_started_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    deadline: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    paused_left_us: int | None = Field(default=None, sa_type=sa.BigInteger)
    """Time left when paused, in microseconds."""
    step: int
    advanced_by: str | None = Field(default=None, max_length=255)
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    shared: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    """On the set's shared challenge (the presenter leads)."""
    inner_set: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""})
    """A fishbowl's inner set: user ids, newline-separated; empty when not a fishbowl."""


class RoundMessageRow(SQLModel, table=True):
    """A message written in a round: ids and counts, never its text."""

    __tablename__ = "round_message"
    __table_args__ = (Index("ix_round_message_round", "round_id"),)

    place_id: str = Field(primary_key=True, max_length=255)
    message_id: str = Field(primary_key=True, max_length=255)
    round_id: str = Field(foreign_key="learning_round.id", max_length=64)
    author_id: str = Field(max_length=255)
    phase: str = Field(max_length=16)
    role: str = Field(max_length=16)
    words: int
    posted_at: datetime = Field(sa_column=utc_column())


# --- held meetings ----------------------------------------------------------------------


def _meeting(row: HeldMeetingRow) -> HeldMeeting:
    agenda = tuple(row.agenda.split("\n")) if row.agenda else ()
    return HeldMeeting(
        row.id, row.set_id, row.opened_at, row.opened_by, row.planned_id, agenda, row.closed_at
    )


def _meeting_values(meeting: HeldMeeting) -> dict[str, Any]:
    values = dict(vars(meeting))
    values["agenda"] = "\n".join(meeting.agenda)
    return values


class SqlHeldMeetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, meeting: HeldMeeting) -> None:
        self.session.add(HeldMeetingRow(**_meeting_values(meeting)))
        await self.session.flush()

    async def save(self, meeting: HeldMeeting) -> None:
        row = await self.session.get(HeldMeetingRow, meeting.id)
        if row is None:
            await self.add(meeting)
            return
        for key, value in _meeting_values(meeting).items():
            setattr(row, key, value)
        await self.session.flush()

    async def get(self, meeting_id: str) -> HeldMeeting | None:
        row = await self.session.get(HeldMeetingRow, meeting_id)
        return _meeting(row) if row else None

    async def open_in(self, set_id: str) -> HeldMeeting | None:
        result = await self.session.execute(
            select(HeldMeetingRow).where(
                HeldMeetingRow.set_id == set_id, col(HeldMeetingRow.closed_at).is_(None)
            )
        )
        row = result.scalars().first()
        return _meeting(row) if row else None

    async def latest_in(self, set_id: str) -> HeldMeeting | None:
        result = await self.session.execute(
            select(HeldMeetingRow)
            .where(HeldMeetingRow.set_id == set_id)
            .order_by(col(HeldMeetingRow.opened_at).desc(), col(HeldMeetingRow.id).desc())
        )
        row = result.scalars().first()
        return _meeting(row) if row else None


# --- rounds -----------------------------------------------------------------------------


def _round(row: RoundRow) -> Round:
    p, q, r, c, s = (timedelta(seconds=int(n)) for n in row.lengths.split("/"))
    lengths: Lengths = (p, q, r, c, s)
    left = None if row.paused_left_us is None else timedelta(microseconds=row.paused_left_us)
    return Round(
        id=row.id,
        set_id=row.set_id,
        meeting_id=row.meeting_id,
        presenter_id=row.presenter_id,
        mode=Mode(row.mode),
        lengths=lengths,
        started_at=row.started_at,
        started_by=row.started_by,
        phase=Phase(row.phase),
        phase_started_at=row.phase_started_at,
        deadline=row.deadline,
        paused_left=left,
        step=row.step,
        advanced_by=row.advanced_by,
        closed_at=row.closed_at,
        shared=row.shared,
        inner=tuple(row.inner_set.split("\n")) if row.inner_set else (),
    )


def _round_values(round_: Round) -> dict[str, Any]:
    values = dict(vars(round_))
    values["mode"], values["phase"] = round_.mode.value, round_.phase.value
    values["lengths"] = "/".join(str(int(n.total_seconds())) for n in round_.lengths)
    left = values.pop("paused_left")
    values["paused_left_us"] = None if left is None else left // timedelta(microseconds=1)
    values["inner_set"] = "\n".join(values.pop("inner"))
    return values


class SqlRoundRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, round_: Round) -> None:
        await self.session.execute(sa.insert(RoundRow).values(**_round_values(round_)))

    async def save(self, round_: Round) -> None:
        values = _round_values(round_)
        result = await self.session.execute(
            update(RoundRow)
            .where(col(RoundRow.id) == round_.id, col(RoundRow.step) < round_.step)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            raise Conflict(ROUND_CLASH)

    async def get(self, round_id: str) -> Round | None:
        rows = await self._select(col(RoundRow.id) == round_id)
        return rows[0] if rows else None

    async def open_in(self, set_id: str) -> Round | None:
        rows = await self._select(RoundRow.set_id == set_id, col(RoundRow.closed_at).is_(None))
        return rows[0] if rows else None

    async def of_meeting(self, meeting_id: str) -> list[Round]:
        return await self._select(RoundRow.meeting_id == meeting_id)

    async def last_presented(self, set_id: str) -> dict[str, datetime]:
        last: dict[str, datetime] = {}
        for round_ in await self._select(RoundRow.set_id == set_id):
            last[round_.presenter_id] = round_.started_at  # in order: the latest stays
        return last

    async def _select(self, *where: Any) -> list[Round]:
        result = await self.session.execute(
            select(RoundRow)
            .where(*where)
            .order_by(col(RoundRow.started_at), col(RoundRow.id))
            .execution_options(populate_existing=True)
        )
        return [_round(r) for r in result.scalars()]


# --- participation ------------------------------------------------------------------------


def _message(row: RoundMessageRow) -> RoundMessage:
    return RoundMessage(
        row.round_id,
        row.place_id,
        row.message_id,
        row.author_id,
        Phase(row.phase),
        MessageRole(row.role),
        row.words,
        row.posted_at,
    )


class SqlRoundMessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, message: RoundMessage) -> None:
        row = await self.session.get(RoundMessageRow, (message.place_id, message.message_id))
        values = dict(vars(message))
        values["phase"], values["role"] = message.phase.value, message.role.value
        if row is None:
            self.session.add(RoundMessageRow(**values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        await self.session.flush()

    async def get(self, place_id: str, message_id: str) -> RoundMessage | None:
        row = await self.session.get(RoundMessageRow, (place_id, message_id))
        return _message(row) if row else None

    async def delete(self, place_id: str, message_id: str) -> None:
        row = await self.session.get(RoundMessageRow, (place_id, message_id))
        if row is not None:
            await self.session.delete(row)
            await self.session.flush()

    async def of_round(self, round_id: str) -> list[RoundMessage]:
        result = await self.session.execute(
            select(RoundMessageRow)
            .where(RoundMessageRow.round_id == round_id)
            .order_by(col(RoundMessageRow.posted_at), col(RoundMessageRow.message_id))
        )
        return [_message(r) for r in result.scalars()]

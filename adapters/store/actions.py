"""Members' committed actions and their progress notes: tables and repository.

An action's text, notes and closing note are set content: stored, never logged.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from adapters.store.tables import utc_column
from bot.model import Action, ActionNote, ActionStatus


class ActionRow(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (
        UniqueConstraint("set_id", "number", name="uq_action_set_number"),
        Index("ix_action_owner", "owner_id"),
    )

    id: str = Field(primary_key=True, max_length=64)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    number: int
    owner_id: str = Field(max_length=255)
    text: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(sa_column=utc_column())
    due_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    status: str = Field(max_length=16)
    meeting_id: str | None = Field(default=None, max_length=64)
    round_id: str | None = Field(default=None, max_length=64)
    closed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    closing_note: str | None = Field(default=None, sa_type=sa.Text)


class ActionNoteRow(SQLModel, table=True):
    """A progress note; `seq` numbers an action's notes from 0 in the order written."""

    __tablename__ = "action_note"

    action_id: str = Field(primary_key=True, foreign_key="action.id", max_length=64)
    seq: int = Field(primary_key=True)
    text: str = Field(sa_type=sa.Text)
    at: datetime = Field(sa_column=utc_column())


SCALARS = (
    "set_id",
    "number",
    "owner_id",
    "text",
    "created_at",
    "due_at",
    "meeting_id",
    "round_id",
    "closed_at",
    "closing_note",
)


class SqlActionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, action: Action) -> None:
        row = ActionRow(
            id=action.id,
            set_id=action.set_id,
            number=action.number,
            owner_id=action.owner_id,
            text=action.text,
            created_at=action.created_at,
            status=action.status.value,
        )
        for key, value in self._scalars(action).items():
            setattr(row, key, value)
        self.session.add(row)
        await self.session.flush()
        await self._add_notes(action, 0)

    async def save(self, action: Action) -> None:
        row = await self.session.get(ActionRow, action.id)
        if row is None:
            await self.add(action)
            return
        for key, value in self._scalars(action).items():
            setattr(row, key, value)
        row.status = action.status.value
        await self.session.flush()
        stored = await self.session.scalar(
            select(sa.func.count()).where(ActionNoteRow.action_id == action.id)
        )
        await self._add_notes(action, stored or 0)

    async def get(self, set_id: str, number: int) -> Action | None:
        result = await self.session.execute(
            select(ActionRow)
            .where(ActionRow.set_id == set_id, ActionRow.number == number)
            .execution_options(populate_existing=True)
        )
        row = result.scalars().first()
        return (await self._actions([row]))[0] if row else None

    async def of_set(self, set_id: str) -> list[Action]:
        result = await self.session.execute(
            select(ActionRow)
            .where(ActionRow.set_id == set_id)
            .order_by(col(ActionRow.number))
            .execution_options(populate_existing=True)
        )
        return await self._actions(list(result.scalars()))

    async def next_number(self, set_id: str) -> int:
        highest = await self.session.scalar(
            select(sa.func.max(ActionRow.number)).where(ActionRow.set_id == set_id)
        )
        return (highest or 0) + 1

    @staticmethod
    def _scalars(action: Action) -> dict[str, object]:
        return {key: getattr(action, key) for key in SCALARS}

    async def _add_notes(self, action: Action, stored: int) -> None:
        for seq, note in enumerate(action.notes[stored:], start=stored):
            self.session.add(
                ActionNoteRow(action_id=action.id, seq=seq, text=note.text, at=note.at)
            )
        if len(action.notes) > stored:
            await self.session.flush()

    async def _actions(self, rows: list[ActionRow]) -> list[Action]:
        notes: dict[str, list[ActionNote]] = {r.id: [] for r in rows}
        if rows:
            result = await self.session.execute(
                select(ActionNoteRow)
                .where(col(ActionNoteRow.action_id).in_(list(notes)))
                .order_by(col(ActionNoteRow.action_id), col(ActionNoteRow.seq))
            )
            for n in result.scalars():
                notes[n.action_id].append(ActionNote(n.text, n.at))
        return [
            Action(
                r.id,
                r.set_id,
                r.number,
                r.owner_id,
                r.text,
                r.created_at,
                r.due_at,
                ActionStatus(r.status),
                r.meeting_id,
                r.round_id,
                notes[r.id],
                r.closed_at,
                r.closing_note,
            )
            for r in rows
        ]

"""Each person's private learning log: table and repository.

The text is set content: stored for its author alone, never logged.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from adapters.store.tables import utc_column
from bot.model import EntryKind, LearningLogEntry


class LearningLogRow(SQLModel, table=True):
    __tablename__ = "learning_log_entry"
    __table_args__ = (Index("ix_learning_log_entry_author", "author_id", "written_at"),)

    id: str = Field(primary_key=True, max_length=255)
    author_id: str = Field(max_length=255)
    set_id: str | None = Field(default=None, foreign_key="learning_set.id", max_length=64)
    kind: str = Field(max_length=32)
    text: str = Field(sa_type=sa.Text)
    written_at: datetime = Field(sa_column=utc_column())


def _entry(row: LearningLogRow) -> LearningLogEntry:
    return LearningLogEntry(
        row.id, row.author_id, EntryKind(row.kind), row.text, row.written_at, row.set_id
    )


class SqlLearningLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entry: LearningLogEntry) -> None:
        if await self.session.get(LearningLogRow, entry.id) is None:
            self.session.add(
                LearningLogRow(
                    id=entry.id,
                    author_id=entry.author_id,
                    set_id=entry.set_id,
                    kind=entry.kind.value,
                    text=entry.text,
                    written_at=entry.written_at,
                )
            )
            await self.session.flush()

    async def of_author(self, author_id: str) -> list[LearningLogEntry]:
        result = await self.session.execute(
            select(LearningLogRow)
            .where(LearningLogRow.author_id == author_id)
            .order_by(col(LearningLogRow.written_at), col(LearningLogRow.id))
        )
        return [_entry(r) for r in result.scalars()]

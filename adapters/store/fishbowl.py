"""The outer ring's notes to a fishbowl round: table and repository.

The text is set content: it is stored to be shown at resonance, never logged.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from adapters.store.tables import utc_column
from bot.model import FishbowlNote


class FishbowlNoteRow(SQLModel, table=True):
    __tablename__ = "fishbowl_note"
    __table_args__ = (Index("ix_fishbowl_note_round", "round_id"),)

    id: str = Field(primary_key=True, max_length=255)
    round_id: str = Field(foreign_key="learning_round.id", max_length=64)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    author_id: str = Field(max_length=255)
    text: str = Field(sa_type=sa.Text)
    written_at: datetime = Field(sa_column=utc_column())
    shown_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


def _note(row: FishbowlNoteRow) -> FishbowlNote:
    return FishbowlNote(
        row.id, row.round_id, row.set_id, row.author_id, row.text, row.written_at, row.shown_at
    )


class SqlFishbowlNoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, note: FishbowlNote) -> None:
        if await self.session.get(FishbowlNoteRow, note.id) is None:
            self.session.add(FishbowlNoteRow(**vars(note)))
            await self.session.flush()

    async def of_round(self, round_id: str) -> list[FishbowlNote]:
        result = await self.session.execute(
            select(FishbowlNoteRow)
            .where(FishbowlNoteRow.round_id == round_id)
            .order_by(col(FishbowlNoteRow.written_at), col(FishbowlNoteRow.id))
            .execution_options(populate_existing=True)
        )
        return [_note(r) for r in result.scalars()]

    async def mark_shown(self, note_ids: list[str], at: datetime) -> None:
        if note_ids:
            await self.session.execute(
                sa.update(FishbowlNoteRow)
                .where(col(FishbowlNoteRow.id).in_(note_ids))
                .values(shown_at=at)
                .execution_options(synchronize_session=False)
            )

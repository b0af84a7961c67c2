"""The platform refs of messages the core remembers by key (`bot.ports.MessageRefs`)."""

from __future__ import annotations

from sqlalchemy import Index
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, select


class MessageRefRow(SQLModel, table=True):
    """One remembered message: ids only (a key like "round:ID", a place, a platform ref)."""

    __tablename__ = "message_ref"
    __table_args__ = (Index("ix_message_ref_place_ref", "place_id", "ref"),)

    key: str = Field(primary_key=True, max_length=255)
    place_id: str = Field(max_length=255)
    ref: str = Field(max_length=255)


class SqlMessageRefs:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, key: str, place_id: str, ref: str) -> None:
        row = await self.session.get(MessageRefRow, key)
        if row is None:
            self.session.add(MessageRefRow(key=key, place_id=place_id, ref=ref))
        else:
            row.place_id, row.ref = place_id, ref
        await self.session.flush()

    async def ref_of(self, key: str) -> str | None:
        row = await self.session.get(MessageRefRow, key)
        return row.ref if row else None

    async def key_of(self, place_id: str, ref: str) -> str | None:
        result = await self.session.execute(
            select(MessageRefRow.key)
            .where(MessageRefRow.place_id == place_id, MessageRefRow.ref == ref)
            .limit(1)
        )
        return result.scalar_one_or_none()

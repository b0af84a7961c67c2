"""Nudges about members' actions, planned and sent: table and repository.

Ids, kinds and times only: the action's text stays in `action`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from adapters.store.tables import utc_column
from bot.model import ActionNudge


class ActionNudgeRow(SQLModel, table=True):
    __tablename__ = "action_nudge"
    __table_args__ = (Index("ix_action_nudge_member", "member_id"),)

    id: str = Field(primary_key=True, max_length=64)
    action_id: str = Field(foreign_key="action.id", max_length=64)
    set_id: str = Field(max_length=64)
    member_id: str = Field(max_length=255)
    kind: str = Field(max_length=16)
    at: datetime = Field(sa_column=utc_column())
    due_at: datetime = Field(sa_column=utc_column())
    sent_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    message_key: str | None = Field(default=None, max_length=255)


FIELDS = ("action_id", "set_id", "member_id", "kind", "at", "due_at", "sent_at", "message_key")


class SqlNudgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_member(self, member_id: str) -> list[ActionNudge]:
        result = await self.session.execute(
            select(ActionNudgeRow)
            .where(ActionNudgeRow.member_id == member_id)
            .order_by(col(ActionNudgeRow.at), col(ActionNudgeRow.id))
            .execution_options(populate_existing=True)
        )
        return [
            ActionNudge(r.id, **{name: getattr(r, name) for name in FIELDS})
            for r in result.scalars()
        ]

    async def save(self, nudge: ActionNudge) -> None:
        row = await self.session.get(ActionNudgeRow, nudge.id)
        if row is None:
            row = ActionNudgeRow(id=nudge.id, **{name: getattr(nudge, name) for name in FIELDS})
            self.session.add(row)
        else:
            for name in FIELDS:
                setattr(row, name, getattr(nudge, name))
        await self.session.flush()

    async def delete(self, nudge_ids: list[str]) -> None:
        if nudge_ids:
            await self.session.execute(
                delete(ActionNudgeRow).where(col(ActionNudgeRow.id).in_(nudge_ids))
            )

"""The SQL repository of challenges and goals: every revision kept, oldest first."""

from __future__ import annotations

from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from adapters.store.tables import StatementRow
from bot.model import Statement, StatementKind


class SqlStatementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, statement: Statement) -> None:
        self.session.add(
            StatementRow(
                set_id=statement.set_id,
                owner_id=statement.owner_id or "",
                kind=statement.kind,
                revision=statement.revision,
                text=statement.text,
                written_at=statement.written_at,
                written_by=statement.written_by,
            )
        )
        await self.session.flush()

    async def history(
        self, set_id: str, owner_id: str | None, kind: StatementKind
    ) -> list[Statement]:
        result = await self.session.execute(
            select(StatementRow)
            .where(
                StatementRow.set_id == set_id,
                StatementRow.owner_id == (owner_id or ""),
                StatementRow.kind == kind,
            )
            .order_by(col(StatementRow.revision))
        )
        return [
            Statement(
                r.set_id,
                r.owner_id or None,
                cast(StatementKind, r.kind),
                r.revision,
                r.text,
                r.written_at,
                r.written_by,
            )
            for r in result.scalars()
        ]

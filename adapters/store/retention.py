"""Retention in the store (`bot.usecases.retention`): a closed set deleted with everything
it holds, found by walking the schema (every table with a `set_id`, and the rows that
depend on those by foreign key), and old due work, deliveries and sends forgotten."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, and_, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

import adapters.store.metadata  # noqa: F401  (every table registered)
from adapters.store.duework import WorkState
from adapters.store.outbox import OutboxState
from adapters.store.personal_data import _rows


class SqlRetention:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _table(self, name: str) -> Table:
        return SQLModel.metadata.tables[name]

    async def sets_closed_before(self, cutoff: datetime) -> list[str]:
        sets = self._table("learning_set")
        found = await self.session.execute(
            select(sets.c.id).where(and_(sets.c.status == "closed", sets.c.closed_at < cutoff))
        )
        return [str(set_id) for (set_id,) in found.all()]

    async def delete_set(self, set_id: str) -> int:
        """Every row of the set, children before parents; the set's row last."""
        deleted = 0
        tables = list(reversed(SQLModel.metadata.sorted_tables))
        for table in tables:
            if "set_id" not in table.c or table.name == "learning_set":
                continue
            mine = table.c.set_id == set_id
            for child in tables:
                for fk in child.foreign_keys:
                    if fk.column.table is table and "set_id" not in child.c:
                        parents = select(fk.column).where(mine)
                        result = await self.session.execute(
                            delete(child).where(fk.parent.in_(parents))
                        )
                        deleted += _rows(result)
            deleted += _rows(await self.session.execute(delete(table).where(mine)))
        sets = self._table("learning_set")
        deleted += _rows(await self.session.execute(delete(sets).where(sets.c.id == set_id)))
        return deleted

    async def purge_finished_work(self, cutoff: datetime) -> int:
        work = self._table("due_work")
        finished = [WorkState.DONE.value, WorkState.DROPPED.value]
        result = await self.session.execute(
            delete(work).where(and_(work.c.state.in_(finished), work.c.updated_at < cutoff))
        )
        return _rows(result)

    async def purge_deliveries(self, cutoff: datetime) -> int:
        inbox, outbox = self._table("inbound_event"), self._table("outbox")
        purged = _rows(
            await self.session.execute(delete(inbox).where(inbox.c.received_at < cutoff))
        )
        sent = [OutboxState.SENT.value, OutboxState.FAILED.value]
        result = await self.session.execute(
            delete(outbox).where(and_(outbox.c.state.in_(sent), outbox.c.created_at < cutoff))
        )
        return purged + _rows(result)

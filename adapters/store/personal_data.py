"""Everything stored about one person, found by walking the schema (`mydata export`).

A column holds a person's id if it is named by the convention (`user_id`, `*_user_id`,
`owner_id`, `author_id`, `member_id`) or is one of the few older names in `OTHER_PERSON`.
Every table with such a column is read for rows naming the person, and every table with
a foreign key to those rows (an action's notes) for their dependents, so a table added
later is covered without a list to keep. Lists of ids inside a text column (a fishbowl's
ring) are not rows about the person and are not read.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import Table, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

import adapters.store.metadata  # noqa: F401  (every table registered)

PERSON_NAMES = re.compile(r"^(user_id|.+_user_id|owner_id|author_id|member_id)$")
OTHER_PERSON = frozenset(
    {
        "created_by",
        "written_by",
        "invited_by",
        "sponsor_id",
        "presenter_id",
        "opened_by",
        "started_by",
        "advanced_by",
    }
)
"""Columns that hold a person's id under an older name (kept out of new tables)."""
NOT_ABOUT_ANYONE = frozenset({"inbound_event", "outbox"})
"""Deliveries and queued sends: ids and bodies in transit, purged within a day."""


def person_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if PERSON_NAMES.match(c.name) or c.name in OTHER_PERSON]


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


class SqlPersonalData:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def export(self, user_id: str) -> dict[str, list[dict[str, object]]]:
        found: dict[str, list[dict[str, object]]] = {}
        tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in NOT_ABOUT_ANYONE]
        for table in tables:
            columns = person_columns(table)
            if not columns:
                continue
            result = await self.session.execute(
                select(table).where(or_(*(c == user_id for c in columns)))
            )
            rows = [{k: _plain(v) for k, v in row._mapping.items()} for row in result]
            if rows:
                found[table.name] = rows
        for table in tables:  # dependents of what was found (an action's notes)
            for fk in table.foreign_keys:
                parent = fk.column.table.name
                if parent not in found or table.name in found or person_columns(table):
                    continue
                ids = [row[fk.column.name] for row in found[parent]]
                result = await self.session.execute(select(table).where(fk.parent.in_(ids)))
                rows = [{k: _plain(v) for k, v in row._mapping.items()} for row in result]
                if rows:
                    found[table.name] = rows
        return found

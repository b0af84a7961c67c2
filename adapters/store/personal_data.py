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

from sqlalchemy import Table, and_, delete, or_, select, update
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

ERASED = "erased"
"""Stands in for an erased person's id where a record of others still needs one."""
REMOVED = "[removed]"
SHARED_SPACE: dict[str, tuple[str, tuple[str, ...]]] = {
    "contribution": ("author_id", ("text",)),
    "fishbowl_note": ("author_id", ("text",)),
    "round_message": ("author_id", ()),
}
"""Their words in other members' rounds: kept as "[removed]" by no one, so the others'
records (a round's counts, the thread it answered) still read."""
KEYS_OF_OWN_ROWS = frozenset({"sponsor_id"})
"""Older-named columns whose rows are the person's own (a sponsor link names its sponsor)."""
ID_LISTS: dict[str, tuple[str, ...]] = {
    "set_options": ("fishbowl",),
    "learning_round": ("inner_set",),
    "held_meeting": ("agenda",),
}
"""Newline-separated lists of user ids inside a text column."""
KEYED_BY_TEXT = (("message_ref", "key"), ("outbox", "payload"), ("inbound_event", "payload"))
"""Rows whose key or queued body names the person (a report-back message's key, a reply
queued to them): they go."""


def person_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if PERSON_NAMES.match(c.name) or c.name in OTHER_PERSON]


def _rows(result: object) -> int:
    """Rows an UPDATE or DELETE changed (a session's result hides the cursor's type)."""
    return int(getattr(result, "rowcount", 0) or 0)


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

    async def erase(self, user_id: str) -> dict[str, int]:
        """Erase the person (DESIGN.md, "Erasure"): rows that are theirs go, with the rows
        that depend on them; their words in other members' rounds stay as "[removed]" by
        no one; other tables' mentions of them (who created a set, who opened a meeting,
        a place on an agenda or in a fishbowl) are replaced by `ERASED`. Returns the rows
        changed by table. The caller's transaction commits it."""
        changed: dict[str, int] = {}

        def count(table: str, n: int) -> None:
            if n:
                changed[table] = changed.get(table, 0) + n

        tables = {t.name: t for t in SQLModel.metadata.sorted_tables}
        for name, (author, text_columns) in SHARED_SPACE.items():
            shared = tables[name]
            texts = {c: REMOVED for c in text_columns}
            result = await self.session.execute(
                update(shared).where(shared.c[author] == user_id).values({author: ERASED, **texts})
            )
            count(name, _rows(result))
        for table in tables.values():
            for column in table.columns:
                if column.name in OTHER_PERSON and column.name not in KEYS_OF_OWN_ROWS:
                    result = await self.session.execute(
                        update(table).where(column == user_id).values({column.name: ERASED})
                    )
                    count(table.name, _rows(result))
            for column_name in ID_LISTS.get(table.name, ()):
                count(table.name, await self._scrub_list(table, column_name, user_id))
        owned = [
            t
            for t in reversed(SQLModel.metadata.sorted_tables)
            if t.name not in SHARED_SPACE and t.name not in NOT_ABOUT_ANYONE
        ]
        for table in owned:  # children before parents
            columns = [
                c for c in table.columns if PERSON_NAMES.match(c.name) or c.name in KEYS_OF_OWN_ROWS
            ]
            if not columns:
                continue
            mine = or_(*(c == user_id for c in columns))
            for child in SQLModel.metadata.sorted_tables:
                for fk in child.foreign_keys:
                    if fk.column.table is table:
                        parents = select(fk.column).where(mine)
                        result = await self.session.execute(
                            delete(child).where(fk.parent.in_(parents))
                        )
                        count(child.name, _rows(result))
            result = await self.session.execute(delete(table).where(mine))
            count(table.name, _rows(result))
        for table_name, column_name in KEYED_BY_TEXT:  # keys and queued bodies naming them
            table = tables[table_name]
            result = await self.session.execute(
                delete(table).where(table.c[column_name].contains(user_id))
            )
            count(table_name, _rows(result))
        return changed

    async def _scrub_list(self, table: Table, column_name: str, user_id: str) -> int:
        column = table.c[column_name]
        keys = list(table.primary_key.columns)
        found = await self.session.execute(select(*keys, column).where(column.contains(user_id)))
        n = 0
        for row in found.all():
            ids = [ERASED if part == user_id else part for part in str(row[-1]).split("\n")]
            where = and_(*(k == row[i] for i, k in enumerate(keys)))
            await self.session.execute(
                update(table).where(where).values({column_name: "\n".join(ids)})
            )
            n += 1
        return n

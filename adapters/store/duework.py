"""The due-work table and the queue the core schedules into, inside its unit of work.

A row holds ids, a kind and times — never message content. `due_at` is when the
work is due (stale rules measure lateness from it); `run_at` is when it may next
be claimed: `due_at` at first, later moved by retry back-off or a platform's
Retry-After. States: pending → claimed (leased) → done | dropped | failed;
a failed row is parked for an operator (`revans nudges failed`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, delete, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from adapters.store.types import UTCDateTime
from bot.duework import DueWork


class WorkState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"
    DROPPED = "dropped"


UNFINISHED = (WorkState.PENDING, WorkState.CLAIMED, WorkState.FAILED)


def _utc(*, nullable: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime(), nullable=nullable)


class DueWorkRow(SQLModel, table=True):
    __tablename__ = "due_work"
    __table_args__ = (
        Index("ix_due_work_state_run_at", "state", "run_at"),
        Index("ix_due_work_user", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=255, unique=True)
    kind: str = Field(max_length=64)
    set_id: str | None = Field(default=None, max_length=64)
    user_id: str | None = Field(default=None, max_length=255)
    subject_id: str | None = Field(default=None, max_length=255)
    due_at: datetime = _utc()
    run_at: datetime = _utc()
    state: str = Field(max_length=16)
    attempts: int = 0
    """Claims that count towards giving up (a rate-limit deferral gives its claim back)."""
    deferrals: int = 0
    """Times a platform said to wait (Retry-After): counted apart from failures."""
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _utc(nullable=True)
    last_error: str | None = Field(default=None, max_length=200)
    """An error class and platform code, never content."""
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


def row_values(item: DueWork, now: datetime) -> dict[str, object]:
    return {
        "key": item.key,
        "kind": item.kind,
        "set_id": item.set_id,
        "user_id": item.user_id,
        "subject_id": item.subject_id,
        "due_at": item.due_at,
        "run_at": item.due_at,
        "state": WorkState.PENDING.value,
        "attempts": 0,
        "deferrals": 0,
        "created_at": now,
        "updated_at": now,
    }


def item_of(row: Any) -> DueWork:
    """The core's value from a row (ORM row or Core result row)."""
    return DueWork(
        kind=row.kind,
        key=row.key,
        due_at=row.due_at,
        set_id=row.set_id,
        user_id=row.user_id,
        subject_id=row.subject_id,
    )


KEY = ["key"]


def insert_ignoring_duplicates(dialect: str, values: list[dict[str, object]]) -> Any:
    """INSERT … ON CONFLICT (key) DO NOTHING, in the database's own words."""
    table = DueWorkRow.__table__  # type: ignore[attr-defined]
    if dialect == "postgresql":
        return postgresql.insert(table).values(values).on_conflict_do_nothing(index_elements=KEY)
    if dialect == "sqlite":
        return sqlite.insert(table).values(values).on_conflict_do_nothing(index_elements=KEY)
    return insert(table).values(values)  # pragma: no cover - only two databases supported


class SqlDueWorkQueue:
    """`bot.ports.DueWorkQueue` over the unit of work's session (same transaction)."""

    def __init__(self, session: AsyncSession, now: Callable[[], datetime]) -> None:
        self.session = session
        self.now = now
        self.scheduled: list[DueWork] = []
        """Work newly queued in this transaction, announced to listeners after commit."""

    async def schedule(self, item: DueWork) -> None:
        dialect = self.session.get_bind().dialect.name
        result = await self.session.execute(
            insert_ignoring_duplicates(dialect, [row_values(item, self.now())])
        )
        if getattr(result, "rowcount", 0) == 1:
            self.scheduled.append(item)

    async def cancel(self, key: str) -> None:
        await self.session.execute(
            delete(DueWorkRow).where(
                col(DueWorkRow.key) == key, col(DueWorkRow.state).in_(UNFINISHED)
            )
        )
        self.scheduled = [item for item in self.scheduled if item.key != key]

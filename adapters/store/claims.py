"""Claiming due work for delivery, in short transactions, safely across replicas.

A claim marks rows `claimed` with a lease (owner + expiry) and commits before
anything is sent. On PostgreSQL the rows are picked with `FOR UPDATE SKIP LOCKED`,
so concurrent sweepers take disjoint rows without waiting for each other. SQLite
ignores `FOR UPDATE`; there the claim is one `UPDATE … WHERE id IN (SELECT …)
RETURNING` statement, the first in its transaction, so it runs under SQLite's
single-writer lock: a second writer waits (busy_timeout) and then sees the rows
already claimed. Every later change is guarded by `state = 'claimed' AND
lease_owner = me`, so a worker whose lease expired cannot overwrite the work of
the one that re-claimed the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.duework import DueWorkRow, WorkState, item_of
from bot.duework import DueWork
from bot.ports import Claimed

T: Table = DueWorkRow.__table__  # type: ignore[attr-defined]
C = T.c

__all__ = ["Claimed", "DueWorkStore", "StoredWork"]


@dataclass(frozen=True)
class StoredWork:
    """A row as operators see it: ids, kind, times and state — never content."""

    id: int
    item: DueWork
    state: str
    run_at: datetime
    attempts: int
    deferrals: int
    last_error: str | None
    updated_at: datetime


def _stored(row: Any) -> StoredWork:
    return StoredWork(
        id=row.id,
        item=item_of(row),
        state=row.state,
        run_at=row.run_at,
        attempts=row.attempts,
        deferrals=row.deferrals,
        last_error=row.last_error,
        updated_at=row.updated_at,
    )


class DueWorkStore:
    """`bot.ports.DueWorkClaims` over the due-work table, plus the operators' reads."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    # --- claiming --------------------------------------------------------------------

    def claim_statement(
        self, where: Any, *, now: datetime, owner: str, lease: timedelta, limit: int
    ) -> Any:
        """The claim, one statement: lock-free picking on PostgreSQL, atomic on SQLite."""
        picked = (
            select(C.id)
            .where(*where)
            .order_by(C.run_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return (
            update(T)
            .where(C.id.in_(picked.scalar_subquery()))
            .values(
                state=WorkState.CLAIMED.value,
                lease_owner=owner,
                lease_until=now + lease,
                attempts=C.attempts + 1,
                updated_at=now,
            )
            .returning(*C)
        )

    async def claim(
        self, *, now: datetime, owner: str, lease: timedelta, limit: int, max_attempts: int
    ) -> list[Claimed]:
        """Up to `limit` rows: expired leases first (their worker died), then due rows."""
        await self.park_exhausted_leases(now=now, max_attempts=max_attempts)
        expired = (C.state == WorkState.CLAIMED.value, C.lease_until <= now)
        due = (C.state == WorkState.PENDING.value, C.run_at <= now)
        claimed: list[Claimed] = []
        for where in (expired, due):
            if len(claimed) >= limit:
                break
            stmt = self.claim_statement(
                where, now=now, owner=owner, lease=lease, limit=limit - len(claimed)
            )
            async with self.engine.begin() as conn:
                rows = (await conn.execute(stmt)).all()
            claimed += [Claimed(r.id, item_of(r), r.attempts) for r in rows]
        claimed.sort(key=lambda c: c.item.due_at)
        return claimed

    async def claim_key(
        self, key: str, *, now: datetime, owner: str, lease: timedelta
    ) -> Claimed | None:
        """Claim one row by key if it is due (a precise timer fired); None if not."""
        due = (C.key == key, C.state == WorkState.PENDING.value, C.run_at <= now)
        stmt = self.claim_statement(due, now=now, owner=owner, lease=lease, limit=1)
        async with self.engine.begin() as conn:
            row = (await conn.execute(stmt)).first()
        return Claimed(row.id, item_of(row), row.attempts) if row else None

    async def park_exhausted_leases(self, *, now: datetime, max_attempts: int) -> int:
        """A row whose worker died `max_attempts` times is parked, not claimed again:
        it may be what kills the worker."""
        stmt = (
            update(T)
            .where(
                C.state == WorkState.CLAIMED.value,
                C.lease_until <= now,
                C.attempts >= max_attempts,
            )
            .values(
                state=WorkState.FAILED.value,
                last_error="LeaseExpired: the worker stopped before finishing",
                lease_owner=None,
                lease_until=None,
                updated_at=now,
            )
        )
        async with self.engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount

    # --- finishing (each guarded by the lease) -------------------------------------------

    async def _finish(self, claimed: Claimed, owner: str, **values: Any) -> bool:
        stmt = (
            update(T)
            .where(
                C.id == claimed.id,
                C.state == WorkState.CLAIMED.value,
                C.lease_owner == owner,
            )
            .values(lease_owner=None, lease_until=None, **values)
        )
        async with self.engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount == 1

    async def complete(self, claimed: Claimed, owner: str, *, now: datetime) -> bool:
        return await self._finish(
            claimed, owner, state=WorkState.DONE.value, last_error=None, updated_at=now
        )

    async def drop(self, claimed: Claimed, owner: str, *, now: datetime, reason: str) -> bool:
        return await self._finish(
            claimed, owner, state=WorkState.DROPPED.value, last_error=reason[:200], updated_at=now
        )

    async def retry_at(
        self, claimed: Claimed, owner: str, *, now: datetime, at: datetime, error: str
    ) -> bool:
        return await self._finish(
            claimed,
            owner,
            state=WorkState.PENDING.value,
            run_at=at,
            last_error=error[:200],
            updated_at=now,
        )

    async def defer(self, claimed: Claimed, owner: str, *, now: datetime, at: datetime) -> bool:
        """The platform said wait: back to pending for `at`; the claim does not count."""
        return await self._finish(
            claimed,
            owner,
            state=WorkState.PENDING.value,
            run_at=at,
            attempts=C.attempts - 1,
            deferrals=C.deferrals + 1,
            updated_at=now,
        )

    async def release(self, claimed: Claimed, owner: str, *, now: datetime) -> bool:
        """Give back a claimed row not yet handled (shutting down); the claim does not count."""
        return await self._finish(
            claimed,
            owner,
            state=WorkState.PENDING.value,
            attempts=C.attempts - 1,
            updated_at=now,
        )

    async def park(self, claimed: Claimed, owner: str, *, now: datetime, error: str) -> bool:
        return await self._finish(
            claimed, owner, state=WorkState.FAILED.value, last_error=error[:200], updated_at=now
        )

    # --- reading ----------------------------------------------------------------------------

    async def counts_by_state(self) -> dict[str, int]:
        stmt = select(C.state, func.count()).group_by(C.state)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        counts = {state.value: 0 for state in WorkState}
        counts.update({state: count for state, count in rows})
        return counts

    async def failed(self, limit: int = 1000) -> list[StoredWork]:
        stmt = (
            select(T)
            .where(C.state == WorkState.FAILED.value)
            .order_by(C.updated_at.desc())
            .limit(limit)
        )
        return await self._stored(stmt)

    async def due_until(self, at: datetime, limit: int = 10000) -> list[StoredWork]:
        """Work a sweep at `at` would take: pending and due, or claimed with an expired lease."""
        stmt = (
            select(T)
            .where(
                ((C.state == WorkState.PENDING.value) & (C.run_at <= at))
                | ((C.state == WorkState.CLAIMED.value) & (C.lease_until <= at))
            )
            .order_by(C.run_at)
            .limit(limit)
        )
        return await self._stored(stmt)

    async def upcoming(self, kinds: frozenset[str], until: datetime) -> list[tuple[str, datetime]]:
        """(key, run_at) of pending work of `kinds` that comes due by `until`."""
        if not kinds:
            return []
        stmt = (
            select(C.key, C.run_at)
            .where(C.state == WorkState.PENDING.value, C.run_at <= until, C.kind.in_(kinds))
            .order_by(C.run_at)
        )
        async with self.engine.connect() as conn:
            return [(key, run_at) for key, run_at in (await conn.execute(stmt)).all()]

    async def by_key(self, key: str) -> StoredWork | None:
        found = await self._stored(select(T).where(C.key == key))
        return found[0] if found else None

    async def pending_run_at(self, key: str) -> datetime | None:
        stmt = select(C.run_at).where(C.key == key, C.state == WorkState.PENDING.value)
        async with self.engine.connect() as conn:
            return (await conn.execute(stmt)).scalar_one_or_none()

    async def _stored(self, stmt: Any) -> list[StoredWork]:
        async with self.engine.connect() as conn:
            return [_stored(row) for row in (await conn.execute(stmt)).all()]

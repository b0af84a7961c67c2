"""An in-memory `bot.ports.DueWorkClaims`: the SQL store's states and lease rules, no SQL.

Mirrors `adapters.store.claims.DueWorkStore` (tested on both databases): a claim counts
an attempt and leases the row; every finishing call is guarded by the lease; a deferral
or release gives its attempt back; a row whose worker died `max_attempts` times is
parked instead of claimed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.duework import DueWork
from bot.ports import Claimed

LEASE_EXPIRED = "LeaseExpired: the worker stopped before finishing"


@dataclass
class StoredRow:
    id: int
    item: DueWork
    run_at: datetime
    state: str = "pending"
    attempts: int = 0
    deferrals: int = 0
    lease_owner: str | None = None
    lease_until: datetime | None = None
    last_error: str | None = None


class MemoryDueWorkClaims:
    def __init__(self) -> None:
        self.rows: dict[int, StoredRow] = {}

    def queue(self, item: DueWork) -> StoredRow:
        row = StoredRow(len(self.rows) + 1, item, run_at=item.due_at)
        self.rows[row.id] = row
        return row

    def row(self, key: str) -> StoredRow:
        (found,) = [r for r in self.rows.values() if r.item.key == key]
        return found

    def states(self) -> dict[str, str]:
        return {r.item.key: r.state for r in self.rows.values()}

    # --- bot.ports.DueWorkClaims --------------------------------------------------------

    async def claim(
        self, *, now: datetime, owner: str, lease: timedelta, limit: int, max_attempts: int
    ) -> list[Claimed]:
        for row in self._expired(now):
            if row.attempts >= max_attempts:
                self._let_go(row, state="failed", last_error=LEASE_EXPIRED)
        due = [r for r in self.rows.values() if r.state == "pending" and r.run_at <= now]
        picked = (self._expired(now) + sorted(due, key=lambda r: r.run_at))[:limit]
        claimed = [self._take(row, now=now, owner=owner, lease=lease) for row in picked]
        return sorted(claimed, key=lambda c: c.item.due_at)

    async def claim_key(
        self, key: str, *, now: datetime, owner: str, lease: timedelta
    ) -> Claimed | None:
        for row in self.rows.values():
            if row.item.key == key and row.state == "pending" and row.run_at <= now:
                return self._take(row, now=now, owner=owner, lease=lease)
        return None

    async def complete(self, claimed: Claimed, owner: str, *, now: datetime) -> bool:
        return self._finish(claimed, owner, state="done", last_error=None)

    async def drop(self, claimed: Claimed, owner: str, *, now: datetime, reason: str) -> bool:
        return self._finish(claimed, owner, state="dropped", last_error=reason[:200])

    async def retry_at(
        self, claimed: Claimed, owner: str, *, now: datetime, at: datetime, error: str
    ) -> bool:
        return self._finish(claimed, owner, state="pending", run_at=at, last_error=error[:200])

    async def defer(self, claimed: Claimed, owner: str, *, now: datetime, at: datetime) -> bool:
        return self._finish(claimed, owner, state="pending", run_at=at, attempts=-1, deferrals=1)

    async def release(self, claimed: Claimed, owner: str, *, now: datetime) -> bool:
        return self._finish(claimed, owner, state="pending", attempts=-1)

    async def park(self, claimed: Claimed, owner: str, *, now: datetime, error: str) -> bool:
        return self._finish(claimed, owner, state="failed", last_error=error[:200])

    async def upcoming(self, kinds: frozenset[str], until: datetime) -> list[tuple[str, datetime]]:
        rows = [
            r
            for r in self.rows.values()
            if r.state == "pending" and r.run_at <= until and r.item.kind in kinds
        ]
        return [(r.item.key, r.run_at) for r in sorted(rows, key=lambda r: r.run_at)]

    async def pending_run_at(self, key: str) -> datetime | None:
        for row in self.rows.values():
            if row.item.key == key and row.state == "pending":
                return row.run_at
        return None

    # --- internals ------------------------------------------------------------------------

    def _expired(self, now: datetime) -> list[StoredRow]:
        rows = [
            r
            for r in self.rows.values()
            if r.state == "claimed" and r.lease_until is not None and r.lease_until <= now
        ]
        return sorted(rows, key=lambda r: r.run_at)

    @staticmethod
    def _take(row: StoredRow, *, now: datetime, owner: str, lease: timedelta) -> Claimed:
        row.state, row.lease_owner, row.lease_until = "claimed", owner, now + lease
        row.attempts += 1
        return Claimed(row.id, row.item, row.attempts)

    def _finish(
        self,
        claimed: Claimed,
        owner: str,
        *,
        state: str,
        run_at: datetime | None = None,
        last_error: str | None = "",
        attempts: int = 0,
        deferrals: int = 0,
    ) -> bool:
        row = self.rows[claimed.id]
        if row.state != "claimed" or row.lease_owner != owner:
            return False
        self._let_go(row, state=state, last_error=last_error)
        row.run_at = run_at or row.run_at
        row.attempts += attempts
        row.deferrals += deferrals
        return True

    @staticmethod
    def _let_go(row: StoredRow, *, state: str, last_error: str | None) -> None:
        row.state, row.lease_owner, row.lease_until = state, None, None
        if last_error != "":  # "" leaves the last error as it was (a deferral or release)
            row.last_error = last_error

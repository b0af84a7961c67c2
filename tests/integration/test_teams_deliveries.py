"""The Teams inbox's group commits, on SQLite and PostgreSQL: one transaction for many
activities, with the inbox's rule (first writer wins, stale claims taken over)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from adapters.store.inbox import Inbox
from adapters.store.uow import SqlUnitOfWorkFactory
from adapters.teams.deliveries import GroupedInbox

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class CountingInbox(Inbox):
    """Counts transactions (and can fail the next one)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.batches: list[tuple[list[str], list[str]]] = []
        self.fail_next = False

    async def settle(
        self, source: str, claims: Sequence[str], done: Sequence[str], now: datetime
    ) -> set[str]:
        self.batches.append((list(claims), list(done)))
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("database went away")
        return await super().settle(source, claims, done, now)


async def test_settle_finishes_then_claims_by_the_inbox_rule(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    inbox = Inbox(uow_factory.engine, lease=timedelta(seconds=30))
    assert await inbox.settle("teams", ["a", "b"], [], T0) == {"a", "b"}
    # a redelivery of `a` while it is in flight; `b` finishes in the same transaction
    assert await inbox.settle("teams", ["a", "c"], ["b"], T0 + timedelta(seconds=1)) == {"c"}
    assert await inbox.settle("teams", ["b"], [], T0 + timedelta(hours=1)) == set(), "done"
    assert await inbox.settle("teams", ["a"], [], T0 + timedelta(seconds=31)) == {"a"}, "stale"
    assert await inbox.settle("slack", ["a"], [], T0) == {"a"}, "sources do not collide"


async def test_concurrent_activities_share_transactions_and_doubles_lose(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    inbox = CountingInbox(uow_factory.engine)
    grouped = GroupedInbox(inbox, lambda: T0)
    keys = [f"activity:c:{n}" for n in range(20)] + ["activity:c:0"]  # one redelivered
    results = await asyncio.gather(*(grouped.claim(k) for k in keys))
    assert sum(results) == 20 and results.count(False) == 1
    assert len(inbox.batches) < len(keys), "claims waiting on a write go together"
    await asyncio.gather(*(grouped.finish(k) for k in keys[:20]))
    assert not any(await asyncio.gather(*(grouped.claim(k) for k in keys[:3])))


async def test_a_failed_write_fails_its_waiters_and_the_next_write_goes_on(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    inbox = CountingInbox(uow_factory.engine)
    grouped = GroupedInbox(inbox, lambda: T0)
    inbox.fail_next = True
    with pytest.raises(ConnectionError):
        await grouped.claim("activity:c:1")
    assert await grouped.claim("activity:c:1"), "nothing was written by the failed batch"

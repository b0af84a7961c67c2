"""The inbox on SQLite and PostgreSQL: first writer wins, stale claims are taken over."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from adapters.store.inbox import Inbox
from adapters.store.uow import SqlUnitOfWorkFactory
from tests.polling import eventually

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def test_first_writer_wins_and_a_double_is_refused(uow_factory: SqlUnitOfWorkFactory) -> None:
    inbox = Inbox(uow_factory.engine)
    assert await inbox.claim("slack", ["event:E1", "message:T:C:1.1"], T0)
    assert not await inbox.claim("slack", ["event:E1", "message:T:C:1.1"], T0)  # a retry
    assert not await inbox.claim("slack", ["event:E2", "message:T:C:1.1"], T0)  # app_mention
    assert await inbox.claim("slack", ["event:E2"], T0), "a refused double leaves no half-claim"
    assert await inbox.claim("teams", ["event:E1"], T0), "sources do not collide"
    assert await inbox.claim("slack", [], T0)


async def test_concurrent_deliveries_have_one_winner(uow_factory: SqlUnitOfWorkFactory) -> None:
    inbox = Inbox(uow_factory.engine)
    results = await asyncio.gather(
        *(inbox.claim("slack", ["event:E9", "message:T:C:9.9"], T0) for _ in range(5))
    )
    assert sorted(results) == [False, False, False, False, True]


async def test_an_unfinished_claim_is_taken_over_after_its_lease(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    inbox = Inbox(uow_factory.engine, lease=timedelta(seconds=30))
    assert await inbox.claim("slack", ["event:E1"], T0)
    assert not await inbox.claim("slack", ["event:E1"], T0 + timedelta(seconds=10))
    assert await inbox.claim("slack", ["event:E1"], T0 + timedelta(seconds=31))
    await inbox.finish("slack", ["event:E1"])
    assert not await inbox.claim("slack", ["event:E1"], T0 + timedelta(hours=1)), "done is done"


async def test_purge_forgets_only_old_rows(uow_factory: SqlUnitOfWorkFactory) -> None:
    inbox = Inbox(uow_factory.engine)
    await inbox.claim("slack", ["event:old-done"], T0)
    await inbox.finish("slack", ["event:old-done"])
    await inbox.claim("slack", ["event:old-unfinished"], T0)
    await inbox.claim("slack", ["event:recent"], T0 + timedelta(hours=2))
    assert await inbox.purge(T0 + timedelta(hours=1)) == 2
    assert not await inbox.claim("slack", ["event:recent"], T0 + timedelta(hours=2))
    assert await inbox.claim("slack", ["event:old-done"], T0 + timedelta(hours=2))


async def test_a_running_server_keeps_forgetting_old_deliveries(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """Not only at start-up: a server that runs for months must not keep every row."""
    inbox = Inbox(uow_factory.engine)
    assert await inbox.claim("slack", ["event:E1"], T0)
    await inbox.finish("slack", ["event:E1"])
    now = T0
    forgetting = asyncio.create_task(
        inbox.keep_forgetting(timedelta(days=1), lambda: now, every=0.01)
    )
    try:
        assert not await inbox.claim("slack", ["event:E1"], now), "a day has not passed"
        now = T0 + timedelta(days=2)
        # claimable again only once the old row is forgotten
        await eventually(
            lambda: inbox.claim("slack", ["event:E1"], now),
            timeout=10,
            what="the old row to be forgotten",
        )
    finally:
        forgetting.cancel()
        await asyncio.gather(forgetting, return_exceptions=True)

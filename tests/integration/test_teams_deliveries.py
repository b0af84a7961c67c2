"""The Teams inbox's group commits, on SQLite and PostgreSQL: one transaction for many
activities, with the inbox's rule (first writer wins, stale claims taken over)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from adapters.store.grouped_inbox import GroupedInbox
from adapters.store.inbox import Delivery, Inbox
from adapters.store.uow import SqlUnitOfWorkFactory

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class CountingInbox(Inbox):
    """Counts transactions (and can fail the next one)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.batches: list[tuple[list[Delivery], list[str]]] = []
        self.fail_next = False

    async def settle(
        self, source: str, claims: Sequence[Delivery], done: Sequence[str], now: datetime
    ) -> list[bool]:
        self.batches.append((list(claims), list(done)))
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("database went away")
        return await super().settle(source, claims, done, now)


async def test_settle_finishes_then_claims_by_the_inbox_rule(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    inbox = Inbox(uow_factory.engine, lease=timedelta(seconds=30))

    def one(*keys: str) -> list[Delivery]:
        return [([key], None) for key in keys]

    assert await inbox.settle("teams", one("a", "b"), [], T0) == [True, True]
    # a redelivery of `a` while it is in flight; `b` finishes in the same transaction
    assert await inbox.settle("teams", one("a", "c"), ["b"], T0 + timedelta(seconds=1)) == [
        False,
        True,
    ]
    assert await inbox.settle("teams", one("b"), [], T0 + timedelta(hours=1)) == [False], "done"
    assert await inbox.settle("teams", one("a"), [], T0 + timedelta(seconds=31)) == [True]
    assert await inbox.settle("slack", one("a"), [], T0) == [True], "sources do not collide"


async def test_a_batch_of_multi_key_deliveries_puts_back_a_duplicates_rows(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """Slack's deliveries have several keys: an `app_mention` and its `message` share the
    message's key, so in one batch the second is a duplicate and leaves no row of its own."""
    inbox = Inbox(uow_factory.engine, lease=timedelta(seconds=30))
    batch: list[Delivery] = [
        (["event:E1", "message:T:C:1"], '{"first": 1}'),
        (["event:E2", "message:T:C:1"], '{"second": 1}'),
        (["event:E3"], None),
    ]
    assert await inbox.settle("slack", batch, [], T0) == [True, False, True]
    fresh = T0 + timedelta(seconds=20)
    assert await inbox.claim("slack", ["event:E2"], fresh), "E2 was put back: no row of its own"
    # a stale claim taken over by a delivery that then meets a fresh key gets its lease back
    later = T0 + timedelta(seconds=31)
    assert await inbox.settle("slack", [(["event:E3", "event:E2"], "{}")], [], later) == [False]
    assert await inbox.claim("slack", ["event:E3"], later), "E3's lease is stale again: put back"
    taken = await inbox.take_stuck("slack", T0 + timedelta(seconds=40))
    assert taken == [("event:E1", '{"first": 1}')]


async def test_a_large_batch_claims_new_keys_together_and_still_refuses_stored_ones(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """New keys are inserted together (SQLAlchemy splits a big batch into several
    statements); a delivery whose other key is stored still loses, and its new row goes."""
    inbox = Inbox(uow_factory.engine, lease=timedelta(seconds=30))
    assert await inbox.claim("slack", ["event:stored"], T0)
    many = 1200  # past SQLite's and asyncpg's rows per statement: several statements
    batch: list[Delivery] = [
        ([f"event:N{n}", f"message:T:C:{n}"], f'{{"n": {n}}}') for n in range(many)
    ]
    batch.append((["event:fresh", "event:stored"], '{"double": 1}'))
    won = await inbox.settle("slack", batch, [], T0 + timedelta(seconds=1))
    assert won == [True] * many + [False]
    assert await inbox.claim("slack", ["event:fresh"], T0), "the double's new row was put back"
    assert not await inbox.claim("slack", [f"message:T:C:{many - 1}"], T0)
    stuck = await inbox.take_stuck("slack", T0 + timedelta(minutes=5), limit=many * 3)
    assert dict(stuck) == {f"event:N{n}": f'{{"n": {n}}}' for n in range(many)}, (
        "each body is kept on its delivery's first key's row, and only there"
    )


async def test_concurrent_activities_share_transactions_and_doubles_lose(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    inbox = CountingInbox(uow_factory.engine)
    grouped = GroupedInbox(inbox, "teams", lambda: T0)
    keys = [f"activity:c:{n}" for n in range(20)] + ["activity:c:0"]  # one redelivered
    results = await asyncio.gather(*(grouped.claim([k]) for k in keys))
    assert sum(results) == 20 and results.count(False) == 1
    assert len(inbox.batches) < len(keys), "claims waiting on a write go together"
    await asyncio.gather(*(grouped.finish([k]) for k in keys[:20]))
    assert not any(await asyncio.gather(*(grouped.claim([k]) for k in keys[:3])))


async def test_a_failed_write_fails_its_waiters_and_the_next_write_goes_on(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    inbox = CountingInbox(uow_factory.engine)
    grouped = GroupedInbox(inbox, "teams", lambda: T0)
    inbox.fail_next = True
    with pytest.raises(ConnectionError):
        await grouped.claim(["activity:c:1"])
    assert await grouped.claim(["activity:c:1"]), "nothing was written by the failed batch"

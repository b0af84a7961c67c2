"""Benchmark: claiming and sweeping due work with 100,000 pending rows, 1,000 of them due.

    python -m bench.sweep [--postgres URL] [--rows 100000] [--due 1000]

Runs on a fresh SQLite file, and on PostgreSQL when a URL is given (or
REVANS_BENCH_POSTGRES_URL is set): a scratch database is created there and
dropped afterwards. Reports, per database:

- claim: one claim statement (the default batch of 50, and all due rows at once),
  run inside a transaction that is rolled back, median of several runs;
- the claim's query plan (`EXPLAIN`; PostgreSQL must use `ix_due_work_state_run_at`);
- sweep: one `sweep_once()` end to end — claim, core handler (reads the set and the
  membership), delivery to a null gateway, mark done — for all due rows;
- memory: the sweep's peak Python allocation (tracemalloc, a second run) and the
  process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.gateways import GatewayRoutes
from adapters.store.claims import C, DueWorkStore
from adapters.store.duework import DueWorkRow, WorkState, row_values
from adapters.store.engine import make_engine
from adapters.store.migrate import upgrade
from adapters.store.tables import MembershipRow, SetRow
from adapters.store.uow import SqlUnitOfWorkFactory
from bench.scratch import scratch_postgres
from bot.dispatch import Core
from bot.duework import DueWork
from bot.messages import Form, Message
from bot.usecases.agreement_reminder import KIND
from scheduler.sweeper import RetryPolicy, Sweeper
from tests.fakes import FakeClock

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MEMBERS_PER_SET = 5
CHUNK = 5000


class NullGateway:
    def __init__(self) -> None:
        self.sent = 0

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        self.sent += 1
        return "ref"

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        self.sent += 1

    async def direct(self, user_id: str, message: Message) -> str:
        self.sent += 1
        return "ref"

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        self.sent += 1

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None: ...

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None: ...


async def seed(engine: AsyncEngine, rows: int, due: int) -> None:
    """`due` rows due now, for real members of real sets; the rest due over 30 days."""
    joined = NOW - timedelta(days=1)
    sets = [
        {"id": f"s{n}", "place_id": f"bench:p{n}", "platform": "bench", "name": "Bench set",
         "created_by": "bench:f", "created_at": joined, "tz": "UTC", "status": "open"}
        for n in range(due // MEMBERS_PER_SET + 1)
    ]  # fmt: skip
    members = [
        {"set_id": f"s{n // MEMBERS_PER_SET}", "user_id": f"bench:u{n}", "role": "member",
         "joined_at": joined}
        for n in range(due)
    ]  # fmt: skip
    items = [
        DueWork(
            kind=KIND,
            key=f"bench:{n}",
            due_at=(NOW - timedelta(seconds=n))
            if n < due
            else NOW + timedelta(minutes=n % 43200 + 1),
            set_id=f"s{n // MEMBERS_PER_SET}" if n < due else f"future{n}",
            user_id=f"bench:u{n}",
        )
        for n in range(rows)
    ]
    async with engine.begin() as conn:
        await conn.execute(SetRow.__table__.insert(), sets)
        await conn.execute(MembershipRow.__table__.insert(), members)
        for start in range(0, rows, CHUNK):
            chunk = [row_values(i, NOW - timedelta(days=1)) for i in items[start : start + CHUNK]]
            await conn.execute(DueWorkRow.__table__.insert(), chunk)
    async with engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()


async def time_claim(store: DueWorkStore, limit: int, runs: int) -> float:
    """Median seconds for one claim statement of `limit` due rows (rolled back each time)."""
    due = (C.state == WorkState.PENDING.value, C.run_at <= NOW)
    stmt = store.claim_statement(
        due, now=NOW, owner="bench", lease=timedelta(minutes=5), limit=limit
    )
    times = []
    for _ in range(runs):
        async with store.engine.connect() as conn:
            start = time.perf_counter()
            claimed = (await conn.execute(stmt)).all()
            times.append(time.perf_counter() - start)
            await conn.rollback()
        assert len(claimed) == limit, (len(claimed), limit)
    return statistics.median(times)


async def explain(store: DueWorkStore) -> list[str]:
    due = (C.state == WorkState.PENDING.value, C.run_at <= NOW)
    stmt = store.claim_statement(due, now=NOW, owner="bench", lease=timedelta(minutes=5), limit=50)
    compiled = stmt.compile(store.engine.sync_engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if store.engine.dialect.name == "sqlite" else "EXPLAIN "
    async with store.engine.connect() as conn:
        rows = (await conn.execute(text(prefix + str(compiled)))).all()
    return [" | ".join(str(v) for v in row) for row in rows]


async def sweep(engine: AsyncEngine, *, trace: bool) -> tuple[float, int, int]:
    gateway = NullGateway()
    routes = GatewayRoutes()
    routes.register("bench", gateway)
    clock = FakeClock(NOW)
    core = Core(SqlUnitOfWorkFactory(engine, clock), clock)
    sweeper = Sweeper(DueWorkStore(engine), core, routes, RetryPolicy())
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    report = await sweeper.sweep_once()
    elapsed = time.perf_counter() - start
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert report.delivered == gateway.sent, (report, gateway.sent)
    return elapsed, report.delivered, peak


async def reset_done(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE due_work SET state = 'pending', attempts = 0 WHERE state = 'done'")
        )


async def bench(url: str, rows: int, due: int) -> None:
    await asyncio.to_thread(upgrade, url)
    engine = make_engine(url)
    try:
        start = time.perf_counter()
        await seed(engine, rows, due)
        print(f"  seeded {rows:,} rows ({due:,} due) in {time.perf_counter() - start:.1f}s")
        store = DueWorkStore(engine)
        batch = RetryPolicy().batch
        one_batch = 1000 * await time_claim(store, batch, 20)
        print(f"  claim {batch} due rows: {one_batch:.2f} ms (median of 20)")
        everything = 1000 * await time_claim(store, due, 5)
        print(f"  claim all {due:,} due rows: {everything:.1f} ms (median of 5)")
        print("  claim plan:")
        for line in await explain(store):
            print(f"    {line}")
        elapsed, delivered, _ = await sweep(engine, trace=False)
        print(f"  sweep: {delivered:,} delivered in {elapsed:.2f}s ({delivered / elapsed:,.0f}/s)")
        await reset_done(engine)
        _, _, peak = await sweep(engine, trace=True)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  sweep peak Python allocation (tracemalloc): {peak / 2**20:.1f} MiB")
        print(f"  process peak RSS (getrusage, includes seeding): {rss:.0f} MiB")
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("REVANS_BENCH_POSTGRES_URL"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite {sqlite3.sqlite_version}:")
        await bench(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", args.rows, args.due)
    if args.postgres:
        async with scratch_postgres(args.postgres) as url:
            print("PostgreSQL:")
            await bench(url, args.rows, args.due)
    else:
        print("PostgreSQL: skipped (pass --postgres URL or set REVANS_BENCH_POSTGRES_URL)")


if __name__ == "__main__":
    asyncio.run(main())

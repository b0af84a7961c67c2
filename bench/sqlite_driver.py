"""One small write transaction on SQLite, through aiosqlite's thread and through the
driver Revans uses (`adapters.store.sqlite_loop`, statements on the event loop).

    python bench/sqlite_driver.py [--transactions 2000]

Each transaction is what a command does to the store: read a row by key, insert one,
update it, read it back, commit (WAL, the file synced at commit). The figure is the
mean time per transaction over the run, best of three runs, each on a new database file.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.store.engine import make_engine  # noqa: E402


def aiosqlite_engine(url: str) -> AsyncEngine:
    """SQLAlchemy's own aiosqlite dialect with aiosqlite's thread, set up as Revans sets
    up its engine (WAL, busy timeout)."""
    engine = create_async_engine(url, connect_args={"timeout": 30})

    def pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    event.listen(engine.sync_engine, "connect", pragmas)
    return engine


async def per_transaction(engine: AsyncEngine, transactions: int) -> float:
    async with engine.begin() as c:
        await c.execute(text("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"))
    started = time.perf_counter()
    for i in range(transactions):
        async with engine.begin() as c:
            await c.execute(text("SELECT * FROM t WHERE k = :k"), {"k": str(i - 1)})
            await c.execute(text("INSERT INTO t VALUES (:k, 1)"), {"k": str(i)})
            await c.execute(text("UPDATE t SET v = 2 WHERE k = :k"), {"k": str(i)})
            (await c.execute(text("SELECT v FROM t WHERE k = :k"), {"k": str(i)})).all()
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return elapsed / transactions


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=2000)
    args = parser.parse_args()
    for name, build in (("aiosqlite", aiosqlite_engine), ("revans (on the loop)", make_engine)):
        best = float("inf")
        for run in range(3):
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite+aiosqlite:///{Path(tmp) / f'{run}.db'}"
                best = min(best, await per_transaction(build(url), args.transactions))
        print(f"{name:>22}: {best * 1e6:.0f} µs per transaction")


if __name__ == "__main__":
    asyncio.run(main())

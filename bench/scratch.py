"""The database a benchmark runs on: SQLite in its temporary directory by default; with
DATABASE_URL set to PostgreSQL, a new database on that server, dropped afterwards. A run
never meets an earlier run's rows: the benchmarks' delivery ids repeat from run to run,
and an inbox remembers ids for a day, so a reused database would answer every message
as a redelivery and send nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from adapters.store.engine import is_sqlite, normalise_url


async def admin(url: str, sql: str) -> None:
    """Run one statement on the PostgreSQL server of `url`, outside any transaction."""
    import asyncpg

    u = make_url(url)
    conn = await asyncpg.connect(
        host=u.host, port=u.port or 5432, user=u.username, password=u.password, database=u.database
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@asynccontextmanager
async def scratch_postgres(url: str) -> AsyncIterator[str]:
    """A new, empty database on the server of `url`, dropped on exit."""
    name = f"revans_bench_{uuid.uuid4().hex[:8]}"
    await admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(normalise_url(url)).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def bench_database(directory: Path | str) -> AsyncIterator[str]:
    """SQLite in `directory`, or a scratch database on DATABASE_URL's PostgreSQL server."""
    url = os.environ.get("DATABASE_URL")
    if not url or is_sqlite(url):
        yield url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        return
    async with scratch_postgres(url) as scratch:
        yield scratch

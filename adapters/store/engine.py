"""Building the async engine for SQLite (default) or PostgreSQL."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from adapters.store.sqlite_loop import LoopSqlite

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///revans.db"


def normalise_url(url: str) -> str:
    """Accept the plain URLs people paste and pick the async drivers we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = normalise_url(url)
    if is_sqlite(url):
        engine = create_async_engine(
            url, module=LoopSqlite(), connect_args={"timeout": 30}, **kwargs
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class WriterTurns:
    """A FIFO lock for writers that the task holding it may take again (a unit of work
    that writes to the inbox, or one opened inside another in the same task, as tests of
    concurrent units of work do): nesting in one task must not wait for itself."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    async def acquire(self) -> None:
        task = asyncio.current_task()
        if self._owner is not None and self._owner is task:
            self._depth += 1
            return
        await self._lock.acquire()
        self._owner, self._depth = task, 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()


_WRITERS: weakref.WeakKeyDictionary[Any, WriterTurns] = weakref.WeakKeyDictionary()


def writer_turns(engine: AsyncEngine) -> WriterTurns | None:
    """On SQLite, one lock per engine that its writers queue on: the units of work, the
    inbox, the outbox. SQLite has one writer, and its busy handler backs off and retries,
    so concurrent writers starve each other (a Teams benchmark halved); queueing them in
    the process keeps it fair (FIFO). None on PostgreSQL, whose writers do not block
    each other."""
    if engine.dialect.name != "sqlite":
        return None
    lock = _WRITERS.get(engine.sync_engine)
    if lock is None:
        lock = _WRITERS[engine.sync_engine] = WriterTurns()
    return lock


@asynccontextmanager
async def writing(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A write transaction outside a unit of work; on SQLite it takes its turn
    (`writer_turns`) with the process's other writers."""
    turns = writer_turns(engine)
    if turns is None:
        async with engine.begin() as conn:
            yield conn
        return
    async with turns, engine.begin() as conn:
        yield conn


async def ping(engine: AsyncEngine) -> None:
    """Round-trip to the database (`SELECT 1`); raises if it cannot be reached."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))

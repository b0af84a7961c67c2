"""SQLite for SQLAlchemy's asyncio engine, run on the event loop itself.

SQLAlchemy's `sqlite+aiosqlite` dialect talks to aiosqlite, which runs every call in a
worker thread: a cursor, each execute, each fetch, each commit is a hop to that thread
and back (a queue, a thread switch under the GIL, `call_soon_threadsafe`). Revans's
statements touch a handful of rows by key and take microseconds in SQLite, so the hops
cost several times the work (`bench/sqlite_driver.py` times a four-statement
transaction both ways; figures in `bench/README.md`).

This module gives that same dialect (`make_engine` passes it as the DBAPI `module`) a
DBAPI whose coroutines call Python's `sqlite3` directly and return without suspending.
SQLAlchemy still drives them through its greenlet bridge, so sessions, pooling, statement
caching and the aiosqlite dialect's SQL are unchanged; only the hops are gone.

What it trades: a statement blocks the loop while it runs. That is microseconds for
Revans's keyed reads and writes. Nothing here ever waits on the loop:
- the commit, which waits for the disk (about 0.4 ms), runs in a worker thread;
- SQLite's busy handler is off on the loop. A statement that meets another connection's
  write lock (another process: a CLI command, a replica's test; or a writer of this
  process that took no turn) fails at once with SQLITE_BUSY, having changed nothing, and
  is run again in a worker thread that waits up to the connection's `timeout`, as
  aiosqlite would have. The loop goes on meanwhile, so the holder of the lock can finish.
Writers in the process also queue on `engine.writer_turns` before they begin, so they
rarely meet each other's lock at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)

Row = Any
Parameters = Sequence[Any] | dict[str, Any]
T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0
"""`sqlite3.connect`'s own default wait for a lock, in seconds."""


def _busy(error: sqlite3.OperationalError) -> bool:
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


# Two pools of their own. A connection holding the write lock must be able to commit
# while others wait for that lock in threads: were they in one pool, the waiters could
# take every thread and the commit would queue behind them until they time out.
_COMMITS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sqlite-commit")
_WAITS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="sqlite-wait")


class _Patience:
    """Runs a call on a connection whose busy handler is off; a call refused with
    SQLITE_BUSY (which changed nothing) is run again in a worker thread with the busy
    handler waiting up to `timeout`. A cancelled caller still waits for that thread, so
    the connection is never used by two threads at once."""

    __slots__ = ("_conn", "_wait_ms")

    def __init__(self, conn: sqlite3.Connection, timeout: float) -> None:
        self._conn = conn
        self._wait_ms = int(timeout * 1000)

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
        return await self.in_thread(_WAITS, call, *args)

    async def in_thread(self, threads: Executor, call: Callable[..., T], *args: Any) -> T:
        """`call` in one of `threads`; if refused with SQLITE_BUSY there, again with the
        busy handler waiting up to the timeout."""
        done = asyncio.get_running_loop().run_in_executor(threads, self._patiently, call, args)
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            while not done.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(done)
            raise

    def _patiently(self, call: Callable[..., T], args: tuple[Any, ...]) -> T:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
        self._conn.execute(f"PRAGMA busy_timeout={self._wait_ms}")
        try:
            return call(*args)
        finally:
            self._conn.execute("PRAGMA busy_timeout=0")


class LoopCursor:
    """An aiosqlite-shaped cursor whose coroutines finish without suspending, unless a
    statement meets a lock held elsewhere (`_Patience`)."""

    __slots__ = ("_cursor", "_patience")

    def __init__(self, cursor: sqlite3.Cursor, patience: _Patience) -> None:
        self._cursor = cursor
        self._patience = patience

    async def __aenter__(self) -> LoopCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, operation: str, parameters: Parameters = ()) -> LoopCursor:
        await self._patience.run(self._cursor.execute, operation, parameters)
        return self

    async def executemany(self, operation: str, parameters: Sequence[Parameters]) -> LoopCursor:
        await self._patience.run(self._cursor.executemany, operation, parameters)
        return self

    async def fetchone(self) -> Row | None:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Row]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class LoopConnection:
    """An aiosqlite-shaped connection over a `sqlite3` connection. `_conn` and
    `_connection` are the names SQLAlchemy's aiosqlite adapter reads."""

    __slots__ = ("_conn", "_connection", "_patience")

    def __init__(self, connection: sqlite3.Connection, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._conn: sqlite3.Connection = connection
        self._connection: sqlite3.Connection | None = connection
        self._patience = _Patience(connection, timeout)

    def cursor(self) -> LoopCursor:
        return LoopCursor(self._conn.cursor(), self._patience)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def commit(self) -> None:
        """In a worker thread: the commit syncs the file (about 0.4 ms of waiting on the
        disk), and the loop has other work meanwhile."""
        await self._patience.in_thread(_COMMITS, self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self._connection = None
        self._conn.close()

    def stop(self) -> None:
        """aiosqlite's forced close (a terminate outside the loop's greenlet)."""
        self._connection = None
        self._conn.close()


class _AdaptedConnection(AsyncAdapt_aiosqlite_connection):
    """The aiosqlite adapter, with the isolation level set directly rather than through
    aiosqlite's private queue."""

    __slots__ = ()

    @property
    def isolation_level(self) -> str | None:
        return self._connection._conn.isolation_level  # type: ignore[no-any-return]

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._connection._conn.isolation_level = value


class LoopSqlite(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module handed to the aiosqlite dialect: `sqlite3`'s names and errors,
    and connections that run on the calling thread (the event loop)."""

    def __init__(self) -> None:
        super().__init__(_AiosqliteNames(sqlite3), sqlite3)  # type: ignore[arg-type]
        self.has_stop = True

    def connect(self, *args: Any, **kwargs: Any) -> _AdaptedConnection:
        kwargs.pop("async_creator_fn", None)
        # The pool may close a connection from the garbage collector's thread.
        kwargs["check_same_thread"] = False
        # No busy handler on the loop: `_Patience` waits for locks in a worker thread.
        timeout = float(kwargs.get("timeout", DEFAULT_TIMEOUT))
        kwargs["timeout"] = 0
        connection = sqlite3.connect(*args, **kwargs)
        # SQLAlchemy's protocol is aiosqlite's whole surface (any attribute); its adapter
        # uses only what LoopConnection defines.
        loop_connection = LoopConnection(connection, timeout)
        return _AdaptedConnection(self, loop_connection)  # type: ignore[arg-type]


class _AiosqliteNames:
    """What the aiosqlite dialect reads from the `aiosqlite` module: its error classes
    (aiosqlite re-exports `sqlite3`'s), its version and its `Connection` class."""

    Connection = LoopConnection

    def __init__(self, module: Any) -> None:
        self._module = module
        self.__version__ = module.sqlite_version

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

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
Revans's keyed reads and writes. The commit, which waits for the disk (about 0.4 ms), runs
in a worker thread. Writers in the process queue on `engine.writer_turns` before they
begin, so they never wait on each other's lock; SQLite's busy handler (`busy_timeout`)
waits only when another process (a CLI command, a test) holds the write lock, and then
the loop waits with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)

Row = Any
Parameters = Sequence[Any] | dict[str, Any]


class LoopCursor:
    """An aiosqlite-shaped cursor whose coroutines finish without suspending."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

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
        self._cursor.execute(operation, parameters)
        return self

    async def executemany(self, operation: str, parameters: Sequence[Parameters]) -> LoopCursor:
        self._cursor.executemany(operation, parameters)
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

    __slots__ = ("_conn", "_connection")

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn: sqlite3.Connection = connection
        self._connection: sqlite3.Connection | None = connection

    def cursor(self) -> LoopCursor:
        return LoopCursor(self._conn.cursor())

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def commit(self) -> None:
        """In a worker thread: the commit syncs the file (about 0.4 ms of waiting on the
        disk), and the loop has other work meanwhile. A caller cancelled while waiting
        still waits for the commit to end, so the connection is never used by two
        threads at once."""
        done = asyncio.get_running_loop().run_in_executor(None, self._conn.commit)
        try:
            await asyncio.shield(done)
        except asyncio.CancelledError:
            while not done.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(done)
            raise

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
        connection = sqlite3.connect(*args, **kwargs)
        # SQLAlchemy's protocol is aiosqlite's whole surface (any attribute); its adapter
        # uses only what LoopConnection defines.
        return _AdaptedConnection(self, LoopConnection(connection))  # type: ignore[arg-type]


class _AiosqliteNames:
    """What the aiosqlite dialect reads from the `aiosqlite` module: its error classes
    (aiosqlite re-exports `sqlite3`'s), its version and its `Connection` class."""

    Connection = LoopConnection

    def __init__(self, module: Any) -> None:
        self._module = module
        self.__version__ = module.sqlite_version

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

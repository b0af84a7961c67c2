"""SQLite on the event loop (`adapters.store.sqlite_loop`): statements run on the loop's
own thread, commits in a worker thread, a commit is never left running under a
connection that is used again, and a lock held elsewhere is waited for off the loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.store.engine import make_engine
from adapters.store.sqlite_loop import LoopSqlite


async def test_statements_run_on_the_loops_thread(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'thread.db'}")
    try:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            driver._conn.create_function("thread_id", 0, threading.get_ident)
            ran_on = (await connection.execute(text("SELECT thread_id()"))).scalar_one()
        assert ran_on == threading.get_ident()
        assert engine.dialect.dbapi is not None
        assert isinstance(engine.dialect.dbapi, LoopSqlite)
    finally:
        await engine.dispose()


class GatedCommit(sqlite3.Connection):
    """A connection whose commit waits for the test to let it finish."""

    entered = threading.Event()
    release = threading.Event()

    def commit(self) -> None:
        GatedCommit.entered.set()
        GatedCommit.release.wait(10)
        super().commit()


async def test_a_cancelled_commit_ends_before_its_caller_gives_the_connection_back(
    tmp_path: Path,
) -> None:
    GatedCommit.release.set()  # the set-up commits freely
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'cancel.db'}",
        module=LoopSqlite(),
        connect_args={"factory": GatedCommit},
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text("CREATE TABLE t (k INTEGER)"))
            await connection.commit()
        GatedCommit.entered.clear()
        GatedCommit.release.clear()

        async def write() -> None:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (1)"))

        task = asyncio.create_task(write())
        assert await asyncio.to_thread(GatedCommit.entered.wait, 10)
        task.cancel()
        for _ in range(20):  # the cancelled caller keeps waiting for the commit
            await asyncio.sleep(0)
        assert not task.done()
        GatedCommit.release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with engine.connect() as connection:  # committed, and the pool still works
            count = (await connection.execute(text("SELECT count(*) FROM t"))).scalar_one()
        assert count == 1
    finally:
        GatedCommit.release.set()
        await engine.dispose()


async def test_a_write_that_meets_another_connections_lock_waits_off_the_loop(
    tmp_path: Path,
) -> None:
    """Another process (here a thread with its own connection) holds the write lock: the
    loop keeps running while our write waits, and the write lands once the lock is freed."""
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}")
    held, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (1)")
        held.set()
        release.wait(10)
        other.execute("COMMIT")
        other.close()

    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (k INTEGER)"))
        holder = asyncio.create_task(asyncio.to_thread(hold_the_lock))
        assert await asyncio.to_thread(held.wait, 10)

        async def write() -> None:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (2)"))

        writing = asyncio.create_task(write())
        for _ in range(20):  # the loop turns while the write waits for the lock
            await asyncio.sleep(0)
        assert not writing.done()
        release.set()
        await writing
        await holder
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT k FROM t ORDER BY k"))).scalars()
            assert list(rows) == [1, 2]
    finally:
        release.set()
        await engine.dispose()


async def test_a_lock_held_past_the_timeout_is_refused_as_sqlite_would(tmp_path: Path) -> None:
    path = tmp_path / "stuck.db"
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{path}", module=LoopSqlite(), connect_args={"timeout": 0.2}
    )
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (k INTEGER)"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(OperationalError, match="locked"):
                async with engine.begin() as connection:
                    await connection.execute(text("INSERT INTO t VALUES (2)"))
        finally:
            other.execute("ROLLBACK")
            other.close()
        async with engine.begin() as connection:  # and the connection is fine afterwards
            await connection.execute(text("INSERT INTO t VALUES (3)"))
    finally:
        await engine.dispose()

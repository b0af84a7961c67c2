"""`revans serve` runs the scheduler: a start-up sweep, metrics, and a clean stop on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.store.claims import DueWorkStore
from adapters.store.engine import make_engine
from adapters.store.migrate import upgrade
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.clock import SystemClock
from bot.dispatch import Core
from bot.duework import DueWork
from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env
from tests.polling import eventually_sync
from tests.unit.talk import ROOM, say, uid


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def queue_overdue(db_url: str) -> None:
    """A member who joined a set (on the test platform) and whose reminder is overdue."""
    engine = make_engine(db_url)
    try:
        uow_factory = SqlUnitOfWorkFactory(engine)
        core = Core(uow_factory, SystemClock())
        await say(core, "fay", f"create Ward {PLANTED}")
        await say(core, "ann", "join")
        async with uow_factory() as uow:
            learning_set = await uow.sets.get_by_place(ROOM.id)
            assert learning_set is not None
            await uow.due_work.schedule(
                DueWork(
                    kind="agreement.reminder",
                    key="overdue",
                    due_at=datetime.now(UTC) - timedelta(hours=1),
                    set_id=learning_set.id,
                    user_id=uid("ann"),
                )
            )
            await uow.commit()
    finally:
        await engine.dispose()


async def state_of(db_url: str, key: str) -> str | None:
    engine = make_engine(db_url)
    try:
        row = await DueWorkStore(engine).by_key(key)
        return row.state if row else None
    finally:
        await engine.dispose()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_serve_sweeps_at_start_up_and_stops_cleanly(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    upgrade(db_url)
    asyncio.run(queue_overdue(db_url))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=revans_env(DATABASE_URL=db_url, REVANS_SWEEP_SECONDS="3600", LOG_LEVEL="DEBUG"),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def state_while_serving() -> str | None:
            assert server.poll() is None, server.communicate()[1]
            return asyncio.run(state_of(db_url, "overdue"))

        # the start-up sweep finds the row; no gateway serves "test:", so it is parked
        eventually_sync(
            state_while_serving, lambda state: state == "failed", timeout=30, what="the sweep"
        )
        metrics = get(f"http://127.0.0.1:{port}/metrics")
        assert 'revans_due_work{state="failed"} 1.0' in metrics
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, err
    assert "scheduler started" in err and "scheduler stopped" in err
    assert "Traceback" not in err
    assert_not_leaked(err, "the server's logs")

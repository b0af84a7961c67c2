"""Two sweepers in two OS processes over one database: every row delivered exactly once."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.store.duework import insert_ignoring_duplicates, row_values
from adapters.store.engine import make_engine
from bot.duework import DueWork
from tests.e2e.cli import ROOT, revans_env
from tests.integration.sweeping import RECORDED_KIND, RECORDING_PLATFORM, due_work_counts
from tests.polling import eventually_sync

ROWS = 1000


async def seed(db_url: str) -> None:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        values = [
            row_values(
                DueWork(
                    kind=RECORDED_KIND,
                    key=f"work-{n:04d}",
                    due_at=now - timedelta(minutes=1),
                    user_id=f"{RECORDING_PLATFORM}:u{n}",
                ),
                now,
            )
            for n in range(ROWS)
        ]
        async with engine.begin() as conn:
            await conn.execute(insert_ignoring_duplicates(engine.dialect.name, values))
    finally:
        await engine.dispose()


@pytest.mark.timeout(300)
async def test_two_processes_deliver_each_of_1000_rows_exactly_once(
    db_url: str, tmp_path: Path
) -> None:
    await seed(db_url)
    go = tmp_path / "go"
    workers = []
    for name in ("a", "b"):
        command = [
            sys.executable, "-m", "tests.integration.sweep_worker",
            "--database-url", db_url, "--record", str(tmp_path / f"{name}.keys"),
            "--ready", str(tmp_path / f"{name}.ready"), "--go", str(go),
            "--batch", "10", "--owner", name,
        ]  # fmt: skip
        workers.append(
            subprocess.Popen(
                command, cwd=ROOT, env=revans_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
        )
    ready = [tmp_path / "a.ready", tmp_path / "b.ready"]
    eventually_sync(lambda: all(p.exists() for p in ready), timeout=60, what="both workers")
    go.touch()
    for worker in workers:
        _out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err.decode()
    per_worker = [(tmp_path / f"{n}.keys").read_text().split() for n in ("a", "b")]
    delivered = per_worker[0] + per_worker[1]
    assert len(delivered) == ROWS, "each row delivered once, none lost, none twice"
    assert len(set(delivered)) == ROWS
    assert set(delivered) == {f"work-{n:04d}" for n in range(ROWS)}
    assert all(per_worker), f"both processes did work: {[len(k) for k in per_worker]}"
    state = await due_work_counts(db_url)
    assert state["done"] == ROWS and state["pending"] == state["claimed"] == 0

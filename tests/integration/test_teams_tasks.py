"""Background reply tasks: tracked, awaited at shutdown, cancelled past the grace."""

from __future__ import annotations

import asyncio

import pytest

from adapters.teams.tasks import BackgroundTasks
from tests.confidential import PLANTED


async def test_shutdown_awaits_finishing_tasks_and_cancels_stuck_ones() -> None:
    tasks = BackgroundTasks()
    finished: list[str] = []
    release = asyncio.Event()

    async def quick() -> None:
        await release.wait()
        finished.append("quick")

    async def stuck() -> None:
        await asyncio.Event().wait()

    tasks.spawn(quick(), what="quick")
    tasks.spawn(stuck(), what="stuck")
    assert len(tasks) == 2
    release.set()
    await tasks.close(grace=0.2)
    assert finished == ["quick"] and len(tasks) == 0


async def test_failures_are_logged_by_type_and_late_work_is_refused(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks = BackgroundTasks()

    async def boom() -> None:
        raise ValueError(f"text {PLANTED}")

    tasks.spawn(boom(), what="reply delivery")
    await tasks.close()
    assert "teams: reply delivery failed (ValueError)" in caplog.text
    tasks.spawn(boom(), what="late")
    assert len(tasks) == 0 and "late dropped" in caplog.text

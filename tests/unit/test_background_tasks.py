"""Background work (both platforms): awaited on shutdown, then cancelled; failures
logged by type; acknowledgements first."""

from __future__ import annotations

import asyncio

import pytest

from adapters.background import BackgroundTasks
from tests.confidential import PLANTED


async def test_close_waits_for_running_work_and_cancels_what_outlasts_the_grace() -> None:
    tasks = BackgroundTasks()
    release, finished, cancelled = asyncio.Event(), [], []

    async def quick() -> None:
        await release.wait()
        finished.append("quick")

    async def stuck() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append("stuck")
            raise

    tasks.spawn(quick(), name="quick")
    tasks.spawn(stuck(), name="stuck")
    assert len(tasks) == 2
    asyncio.get_running_loop().call_soon(release.set)
    await tasks.close(grace=0.2)
    assert finished == ["quick"] and cancelled == ["stuck"]
    assert len(tasks) == 0


async def test_close_with_nothing_running_returns_at_once() -> None:
    await BackgroundTasks().close(grace=60)


async def test_no_work_starts_while_an_acknowledgement_is_urgent() -> None:
    tasks = BackgroundTasks(limit=2)
    started: list[str] = []

    async def work() -> None:
        async with tasks.turn():
            started.append("work")

    async with tasks.urgent():
        tasks.spawn(work(), name="work")
        for _ in range(5):
            await asyncio.sleep(0)  # let the task run as far as it may
        assert started == []
    await tasks.close(grace=5)
    assert started == ["work"]


async def test_at_most_limit_turns_run_at_once() -> None:
    tasks = BackgroundTasks(limit=2)
    running, peak, release = 0, 0, asyncio.Event()

    async def work() -> None:
        nonlocal running, peak
        async with tasks.turn():
            running += 1
            peak = max(peak, running)
            await release.wait()
            running -= 1

    for n in range(5):
        tasks.spawn(work(), name=f"w{n}")
    for _ in range(5):
        await asyncio.sleep(0)
    assert running == 2
    release.set()
    await tasks.close(grace=5)
    assert peak == 2 and running == 0


async def test_failures_are_logged_by_type_and_late_work_is_refused(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks = BackgroundTasks("teams")

    async def boom() -> None:
        raise ValueError(f"text {PLANTED}")

    tasks.spawn(boom(), name="reply delivery")
    await tasks.close()
    assert "teams: reply delivery failed (ValueError)" in caplog.text
    assert PLANTED not in caplog.text
    assert tasks.spawn(boom(), name="late") is None
    assert len(tasks) == 0 and "teams: late dropped" in caplog.text

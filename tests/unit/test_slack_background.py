"""Work started after an acknowledgement is awaited on shutdown, then cancelled."""

from __future__ import annotations

import asyncio

from adapters.slack.background import BackgroundTasks


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

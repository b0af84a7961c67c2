"""SQLite's writers queue in the process (`WriterTurns`): first come, first served, and the
task that holds the turn may take it again without waiting for itself."""

from __future__ import annotations

import asyncio

from adapters.store.engine import WriterTurns


async def test_writers_take_turns_in_arrival_order() -> None:
    turns = WriterTurns()
    order: list[int] = []
    await turns.acquire()

    async def writer(n: int) -> None:
        async with turns:
            order.append(n)

    tasks = [asyncio.create_task(writer(n)) for n in range(5)]
    await asyncio.sleep(0)  # let them all queue (no time passes: a scheduling point)
    assert order == []
    turns.release()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4]


async def test_the_holding_task_may_nest_and_others_still_wait() -> None:
    turns = WriterTurns()
    async with turns:
        async with turns:  # nested in the same task: no deadlock
            other = asyncio.create_task(turns.acquire())
            await asyncio.sleep(0)
            assert not other.done()
        await asyncio.sleep(0)
        assert not other.done(), "still held by the outer turn"
    await asyncio.wait_for(other, 1)
    turns.release()

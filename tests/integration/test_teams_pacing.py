"""Per-conversation pacing to Teams' windows, on a fake clock (no real waiting)."""

from __future__ import annotations

import asyncio

import pytest

from adapters.pacing import TEAMS_TENANT_WINDOWS, Pacer
from bot.errors import RateLimited


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))
        self.now += seconds


def pacer(time: FakeTime, max_wait: float = 30.0) -> Pacer:
    return Pacer(now=time.clock, sleep=time.sleep, max_wait=max_wait)


async def test_seven_per_second_then_eight_per_two_seconds() -> None:
    time = FakeTime()
    paced = pacer(time)
    for _ in range(7):
        await paced.turn("c1")
    assert time.waits == []  # a burst of 7 goes straight out
    await paced.turn("c1")  # the 8th waits for the first second to pass
    assert time.waits == [1.0]
    await paced.turn("c1")  # the 9th: 8 already in the last 2 s
    assert time.waits == [1.0, 1.0] and time.now == 2.0
    await paced.turn("other")  # conversations are paced separately
    assert len(time.waits) == 2


async def test_sixty_per_thirty_seconds() -> None:
    time = FakeTime()
    paced = pacer(time)
    for _ in range(60):
        await paced.turn("c1")
    assert time.now < 30
    started = time.now
    await paced.turn("c1")
    assert time.now == pytest.approx(30.0) and time.now > started


async def test_a_turn_too_far_away_is_raised_for_a_requeue() -> None:
    time = FakeTime()
    paced = pacer(time, max_wait=0.5)
    for _ in range(7):
        await paced.turn("c1")
    with pytest.raises(RateLimited) as raised:
        await paced.turn("c1")
    assert raised.value.retry_after == pytest.approx(1.0) and time.waits == []


async def test_a_burst_of_200_to_one_conversation_never_exceeds_any_window() -> None:
    """Every published window (7/1 s, 8/2 s, 60/30 s, 1,800/h), checked at every send."""
    time = FakeTime()
    paced = pacer(time, max_wait=3600.0)
    sent: list[float] = []
    for _ in range(200):
        await paced.turn("c1")
        sent.append(time.now)
    for seconds, limit in ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800)):
        for at in sent:
            in_window = [t for t in sent if at - seconds < t <= at]
            assert len(in_window) <= limit, (seconds, limit, at)
    # and not needlessly slow: three full 30 s windows of 60, then 20 more at 8 per 2 s
    assert time.now == pytest.approx(94.0)


async def test_a_burst_to_many_conversations_of_one_tenant_never_exceeds_its_window() -> None:
    """200 sends over 40 conversations of one tenant, interleaved and concurrent: every
    conversation's windows and the tenant's 50 per second hold at every send."""
    time = FakeTime()
    conversations = pacer(time, max_wait=3600.0)
    tenants = Pacer(windows=TEAMS_TENANT_WINDOWS, now=time.clock, sleep=time.sleep)
    sent: dict[str, list[float]] = {}

    async def send(conversation: str) -> None:
        await conversations.turn(conversation, (tenants, "t1"))
        sent.setdefault(conversation, []).append(time.now)

    await asyncio.gather(*(send(f"c{n % 40}") for n in range(200)))
    everything = sorted(t for times in sent.values() for t in times)
    assert len(everything) == 200
    for at in everything:
        assert len([t for t in everything if at - 1.0 < t <= at]) <= 50, at
    for times in sent.values():
        for seconds, limit in ((1.0, 7), (2.0, 8), (30.0, 60)):
            for at in times:
                assert len([t for t in times if at - seconds < t <= at]) <= limit
    assert time.now < 5.0, "and not needlessly slow: 200 at 50 a second"

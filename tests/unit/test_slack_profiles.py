"""Profile time zones: one users.info per user while fresh, failures remembered briefly,
a bounded cache, one lookup for concurrent askers, and a time budget for commands."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from adapters.slack.gateway import SlackRefused
from adapters.slack.profiles import ProfileZones, profile_zone
from bot.errors import DeliveryError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Directory:
    """users.info as a function: zones by user id, scripted failures, an optional gate."""

    def __init__(self, **zones: str) -> None:
        self.zones = zones
        self.asked: list[str] = []
        self.failures: list[Exception] = []
        self.gate: asyncio.Event | None = None

    async def __call__(self, user_id: str) -> dict[str, Any]:
        self.asked.append(user_id)
        if self.gate:
            await self.gate.wait()
        if self.failures:
            raise self.failures.pop(0)
        found: dict[str, Any] = {"id": user_id}
        if user_id in self.zones:
            found["tz"] = self.zones[user_id]
        return found


def test_profile_zone_accepts_only_known_iana_zones() -> None:
    assert profile_zone({"tz": "Asia/Tokyo"}) == "Asia/Tokyo"
    for bad in ({}, {"tz": None}, {"tz": ""}, {"tz": "Mars/Olympus"}, {"tz": 9}, {"tz": "../x"}):
        assert profile_zone(bad) is None


async def test_answers_are_cached_until_the_ttl_runs_out() -> None:
    clock, directory = Clock(), Directory(ann="Asia/Tokyo", ben="Europe/Berlin")
    zones = ProfileZones(directory, ttl=3600, clock=clock)
    assert [await zones.zone(u) for u in ("ann", "ben", "ann", "ann")] == [
        "Asia/Tokyo",
        "Europe/Berlin",
        "Asia/Tokyo",
        "Asia/Tokyo",
    ]
    assert directory.asked == ["ann", "ben"]
    assert zones.cached("ann") == "Asia/Tokyo"
    clock.now += 3599
    await zones.zone("ann")
    assert directory.asked == ["ann", "ben"]
    directory.zones["ann"] = "America/Chicago"
    clock.now += 2
    assert zones.cached("ann") is None
    assert await zones.zone("ann") == "America/Chicago"
    assert directory.asked == ["ann", "ben", "ann"]


async def test_a_profile_without_a_zone_is_cached_as_unknown() -> None:
    directory = Directory()
    zones = ProfileZones(directory, clock=Clock())
    assert await zones.zone("cat") is None
    assert await zones.zone("cat") is None
    assert directory.asked == ["cat"]


@pytest.mark.parametrize(
    "failure",
    [SlackRefused("users.info", "missing_scope"), DeliveryError("x"), RuntimeError("odd")],
)
async def test_a_failure_means_no_zone_and_is_retried_only_after_a_while(
    failure: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    clock, directory = Clock(), Directory(ann="Asia/Tokyo")
    directory.failures.append(failure)
    zones = ProfileZones(directory, ttl=3600, retry_after=300, clock=clock)
    assert await zones.zone("ann") is None
    assert await zones.zone("ann") is None
    assert directory.asked == ["ann"]
    clock.now += 301
    assert await zones.zone("ann") == "Asia/Tokyo"
    if isinstance(failure, SlackRefused):
        assert "missing_scope" in caplog.text
    assert "odd" not in caplog.text, "only codes and types are logged"


async def test_the_cache_is_bounded_least_recently_used_out_first() -> None:
    directory = Directory(a="UTC", b="UTC", c="UTC")
    zones = ProfileZones(directory, capacity=2, clock=Clock())
    await zones.zone("a")
    await zones.zone("b")
    await zones.zone("a")  # a is now the most recent
    await zones.zone("c")
    assert len(zones) == 2
    assert zones.cached("a") == "UTC" and zones.cached("b") is None
    assert directory.asked == ["a", "b", "c"]


async def test_concurrent_askers_share_one_lookup() -> None:
    directory = Directory(ann="Asia/Tokyo")
    directory.gate = asyncio.Event()
    zones = ProfileZones(directory, clock=Clock())
    waiting = [asyncio.ensure_future(zones.zone("ann")) for _ in range(3)]
    directory.gate.set()
    assert await asyncio.gather(*waiting) == ["Asia/Tokyo"] * 3
    assert directory.asked == ["ann"]


async def test_a_slow_lookup_is_not_waited_for_but_its_answer_is_kept() -> None:
    directory = Directory(ann="Asia/Tokyo")
    directory.gate = asyncio.Event()
    zones = ProfileZones(directory, budget=0.05, clock=Clock())
    assert await zones.zone("ann") is None  # over budget: the command goes on without it
    directory.gate.set()
    assert await zones.zone("ann") == "Asia/Tokyo"  # the same lookup, finished
    assert directory.asked == ["ann"]


async def test_close_cancels_lookups_still_running() -> None:
    directory = Directory(ann="Asia/Tokyo")
    directory.gate = asyncio.Event()
    zones = ProfileZones(directory, budget=0.01, clock=Clock())
    assert await zones.zone("ann") is None
    await zones.close()
    assert zones.cached("ann") is None and not zones._pending

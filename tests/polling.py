"""Waiting in a test for something another task or process does: poll up to a deadline.

No test sleeps a fixed time to wait for something. When there is no signal to wait on
(an `asyncio.Event`, a future), a test polls with `eventually` — or `eventually_sync`
outside an event loop — which calls `probe` until `until(answer)` holds and returns that
answer, and fails at the deadline with the last answer it saw. The short pause between
two probes is the polling interval, not a wait for the thing itself.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

T = TypeVar("T")

TIMEOUT = 15.0
"""Seconds; generous, since the suite shares a small machine with other suites."""
INTERVAL = 0.02
"""Seconds between two probes."""


async def eventually(
    probe: Callable[[], T] | Callable[[], Awaitable[T]],
    until: Callable[[T], object] = bool,
    *,
    timeout: float = TIMEOUT,
    what: str = "the condition",
    explain: Callable[[], object] | None = None,
) -> T:
    """The first answer of `probe()` (awaited if it is a coroutine) that `until` accepts.

    Fails with an `AssertionError` naming `what`, the last answer and `explain()` (for
    context such as a fake server's records) once `timeout` seconds have passed.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        answer = probe()
        if inspect.isawaitable(answer):
            answer = await answer
        value = cast(T, answer)
        if until(value):
            return value
        if loop.time() >= deadline:
            raise AssertionError(_timed_out(what, timeout, value, explain))
        await asyncio.sleep(INTERVAL)


def eventually_sync(
    probe: Callable[[], T],
    until: Callable[[T], object] = bool,
    *,
    timeout: float = TIMEOUT,
    what: str = "the condition",
    explain: Callable[[], object] | None = None,
) -> T:
    """`eventually` for code that runs outside an event loop (it blocks the thread)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if until(value):
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(_timed_out(what, timeout, value, explain))
        time.sleep(INTERVAL)


def _timed_out(
    what: str, timeout: float, last: object, explain: Callable[[], object] | None
) -> str:
    text = f"timed out after {timeout:g}s waiting for {what}; last answer {last!r}"
    return f"{text}; {explain()}" if explain else text

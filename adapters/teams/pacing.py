"""Pacing outbound messages per conversation to Teams' published limits.

Teams throttles each bot per conversation in several windows at once (7 messages per
second, 8 per 2 s, 60 per 30 s, 1,800 per hour). Sending faster only earns 429s, so
each send first waits for its turn. A turn further away than `max_wait` is not
waited for in-process: `RateLimited` tells the caller to re-queue the work instead.
(Limits are per process; replicas sharing a conversation can still meet a 429,
which the connector retries after `Retry-After`.)
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from bot.errors import RateLimited

WINDOWS: tuple[tuple[float, int], ...] = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
LONGEST = max(seconds for seconds, _ in WINDOWS)


class ConversationPacer:
    def __init__(
        self,
        *,
        windows: tuple[tuple[float, int], ...] = WINDOWS,
        max_wait: float = 30.0,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.windows = windows
        self.max_wait = max_wait
        self.now = now
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def wait_needed(self, conversation: str, at: float) -> float:
        """Seconds from `at` until one more message fits every window."""
        sent = self._sent.get(conversation)
        if not sent:
            return 0.0
        wait = 0.0
        for seconds, limit in self.windows:
            recent = [t for t in sent if t > at - seconds]
            if len(recent) >= limit:
                wait = max(wait, recent[-limit] + seconds - at)
        return wait

    async def turn(self, conversation: str) -> None:
        """Wait for a turn to send in `conversation`, and take it."""
        lock = self._locks.setdefault(conversation, asyncio.Lock())
        async with lock:
            wait = self.wait_needed(conversation, self.now())
            if wait > self.max_wait:
                raise RateLimited(wait)
            if wait > 0:
                await self.sleep(wait)
            self._take(conversation, self.now())

    def _take(self, conversation: str, at: float) -> None:
        sent = self._sent.setdefault(conversation, deque())
        sent.append(at)
        while sent and sent[0] <= at - LONGEST:
            sent.popleft()
        if len(self._sent) > 50_000:  # forget idle conversations; bounded memory
            idle = [c for c, s in self._sent.items() if not s or s[-1] <= at - LONGEST]
            for c in idle:
                self._sent.pop(c, None)
                self._locks.pop(c, None)

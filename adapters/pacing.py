"""Pacing outbound messages to a platform's published limits, per conversation and per
tenant or workspace.

A platform throttles a bot per conversation (a Teams chat, a Slack channel) and per
tenant or workspace, in several windows at once. Sending faster only earns 429s, so each
send first waits for its turn in every window that applies (`Pacer.turn`, with `also`
for the tenant's or workspace's pacer). A turn further away than `max_wait` is not
waited for in-process: `RateLimited` tells the caller to re-queue the work instead.
(Limits are per process; replicas sharing a conversation can still meet a 429, which is
retried after `Retry-After`; meanwhile `Pacer.hold` keeps that conversation's other sends
back for as long.)

The figures, from each platform's published limits:
- Teams, per bot per conversation (`TEAMS_WINDOWS`): 7 sends per 1 s, 8 per 2 s, 60 per
  30 s, 1,800 per 3,600 s — the "per bot per thread" table of *Optimize your bot with rate
  limiting in Teams* (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
- Teams, per bot per tenant (`TEAMS_TENANT_WINDOWS`): 50 requests per second — the same
  page's global limit, "50 requests per second (RPS) per app per tenant". It counts every
  call to the Bot Connector (sends, replies, updates, creating a 1:1), so all of them take
  a tenant turn. The page lists no longer tenant window; the conversation windows above
  and the 429 handling cover the rest.
- Slack: about one message a second per channel, with short bursts
  (`SLACK_CHANNEL_WINDOWS`), and some hundreds a minute per workspace
  (`SLACK_WORKSPACE_WINDOWS`).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from bot.errors import RateLimited

Windows = tuple[tuple[float, int], ...]
"""(seconds, most messages in any such span), each kept at once."""
TEAMS_WINDOWS: Windows = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
TEAMS_TENANT_WINDOWS: Windows = ((1.0, 50),)
SLACK_CHANNEL_WINDOWS: Windows = ((1.0, 3), (30.0, 30))
SLACK_WORKSPACE_WINDOWS: Windows = ((60.0, 300),)


class Pacer:
    def __init__(
        self,
        *,
        windows: Windows = TEAMS_WINDOWS,
        max_wait: float = 30.0,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.windows = windows
        self.longest = max(seconds for seconds, _ in windows)
        self.max_wait = max_wait
        self.now = now
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._held: dict[str, float] = {}

    def hold(self, conversation: str, seconds: float) -> None:
        """No turn in `conversation` for `seconds` (the platform answered 429 with a
        `Retry-After`): the sends queued behind the refused one wait too, instead of each
        earning its own 429."""
        until = self.now() + seconds
        self._held[conversation] = max(until, self._held.get(conversation, until))

    def wait_needed(self, conversation: str, at: float) -> float:
        """Seconds from `at` until one more message fits every window (and any hold)."""
        held = self._held.get(conversation)
        wait = 0.0
        if held is not None:
            if held <= at:
                del self._held[conversation]
            else:
                wait = held - at
        sent = self._sent.get(conversation)
        if not sent:
            return wait
        for seconds, limit in self.windows:
            recent = [t for t in sent if t > at - seconds]
            if len(recent) >= limit:
                wait = max(wait, recent[-limit] + seconds - at)
        return wait

    async def turn(self, conversation: str, *also: tuple[Pacer, str]) -> None:
        """Wait for a turn to send in `conversation` and in each `(pacer, key)` of `also`
        (e.g. the conversation's tenant), and take them all at one instant.

        Each key's lock is held from its wait until the turns are taken, in the order
        given (conversation, then tenant, so never the other way round), and waits only
        let time pass: a window already waited for cannot fill again meanwhile, and
        every window holds the instant the message really leaves. The tenant's lock is
        taken only once the conversation's own wait is over, so one busy conversation
        does not hold up the rest of its tenant.
        """
        async with AsyncExitStack() as held:
            for pacer, key in ((self, conversation), *also):
                await held.enter_async_context(pacer._locks.setdefault(key, asyncio.Lock()))
                wait = pacer.wait_needed(key, self.now())
                if wait > pacer.max_wait:
                    raise RateLimited(wait)
                if wait > 0:
                    await self.sleep(wait)
            at = self.now()
            for pacer, key in ((self, conversation), *also):
                pacer._take(key, at)

    def _take(self, conversation: str, at: float) -> None:
        sent = self._sent.setdefault(conversation, deque())
        sent.append(at)
        while sent and sent[0] <= at - self.longest:
            sent.popleft()
        if len(self._sent) > 50_000:  # forget idle conversations; bounded memory
            idle = [c for c, s in self._sent.items() if not s or s[-1] <= at - self.longest]
            for c in idle:
                self._sent.pop(c, None)
                self._locks.pop(c, None)
            for c in [c for c, until in self._held.items() if until <= at]:
                del self._held[c]

"""Time zones from Slack profiles (`users.info` → `user.tz`), cached per user for a while.

DESIGN.md §3: a member's zone is their own `settings tz`, else their platform
profile, else the set's. The profile's zone is looked up before a command runs and
handed to the core as `Actor.platform_tz`. Answers are kept in memory for `ttl`
(bounded to `capacity` users, least recently used out first); a failed lookup is
remembered for a shorter `retry_after`, so a missing `users:read` scope costs one
call per user per few minutes, not one per command. A lookup that fails or takes
longer than `budget` seconds leaves the zone unknown: the command runs without it.
Only Slack's error code is logged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.slack.gateway import SlackRefused

log = logging.getLogger(__name__)

DEFAULT_TTL = 3600.0
DEFAULT_RETRY_AFTER = 300.0
DEFAULT_CAPACITY = 5000
DEFAULT_BUDGET = 1.5
"""Seconds a command waits for users.info: a form's trigger_id lasts only 3 s."""

UserInfo = Callable[[str], Awaitable[dict[str, Any]]]


def profile_zone(user: dict[str, Any]) -> str | None:
    """The IANA zone of a `users.info` user, or None if it has none we know."""
    tz = user.get("tz")
    if not isinstance(tz, str) or not tz or len(tz) > 64:
        return None
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return tz


@dataclass
class _Entry:
    zone: str | None
    expires: float


class ProfileZones:
    def __init__(
        self,
        user_info: UserInfo,
        *,
        ttl: float = DEFAULT_TTL,
        retry_after: float = DEFAULT_RETRY_AFTER,
        capacity: int = DEFAULT_CAPACITY,
        budget: float = DEFAULT_BUDGET,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_info = user_info
        self.ttl = ttl
        self.retry_after = retry_after
        self.capacity = capacity
        self.budget = budget
        self.clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._pending: dict[str, asyncio.Future[str | None]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    async def close(self) -> None:
        """Cancel lookups still running (shutdown): no one is waiting for them any more."""
        pending = list(self._pending.values())
        for lookup in pending:
            lookup.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def cached(self, user_id: str) -> str | None:
        """The zone if it is cached and fresh; never calls Slack."""
        entry = self._entries.get(user_id)
        return entry.zone if entry and entry.expires > self.clock() else None

    async def zone(self, user_id: str) -> str | None:
        """The user's profile zone, from the cache or one `users.info` call."""
        entry = self._entries.get(user_id)
        if entry and entry.expires > self.clock():
            self._entries.move_to_end(user_id)
            return entry.zone
        pending = self._pending.get(user_id)
        if pending is None:  # one lookup per user at a time; others wait for it
            pending = asyncio.ensure_future(self._look_up(user_id))
            self._pending[user_id] = pending
            pending.add_done_callback(lambda _: self._pending.pop(user_id, None))
        try:
            return await asyncio.wait_for(asyncio.shield(pending), self.budget)
        except TimeoutError:
            log.warning("slack: users.info slower than %.1fs; going on without a zone", self.budget)
            return None

    async def _look_up(self, user_id: str) -> str | None:
        try:
            zone = profile_zone(await self.user_info(user_id))
        except SlackRefused as exc:
            log.warning("slack: users.info refused (%s); time zone unknown", exc.error)
            self._remember(user_id, None, self.retry_after)
            return None
        except Exception as exc:  # a profile is a nicety: no failure of it stops a command
            log.warning("slack: users.info failed (%s); time zone unknown", type(exc).__name__)
            self._remember(user_id, None, self.retry_after)
            return None
        self._remember(user_id, zone, self.ttl)
        return zone

    def _remember(self, user_id: str, zone: str | None, lifetime: float) -> None:
        self._entries[user_id] = _Entry(zone, self.clock() + lifetime)
        self._entries.move_to_end(user_id)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

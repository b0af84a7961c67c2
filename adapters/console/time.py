"""Simulated time for the console and the demo: `wait 5m` moves a clock forward and
delivers the due work that comes due meanwhile, in order, each at its own moment.

The due work is claimed from the store exactly as the scheduler claims it (one row at
a time, by key, with a lease), handed to the core, delivered through the console
gateway (updating remembered messages in place) and marked done or dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.store.claims import DueWorkStore
from bot.delivery import RefBook, deliver
from bot.dispatch import Core, handle_due
from bot.duework import Drop
from bot.ports import ChatGateway

OWNER = "console"
LEASE = timedelta(minutes=5)


class ShiftableClock:
    """The real time, plus however far `wait` has moved it on."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def move_to(self, at: datetime) -> None:
        if at > self.now():
            self.offset += at - self.now()


class ConsoleTime:
    def __init__(
        self,
        core: Core,
        engine: AsyncEngine,
        clock: ShiftableClock,
        *,
        announce: Callable[[datetime], None] = lambda at: None,
    ) -> None:
        self.core = core
        self.store = DueWorkStore(engine)
        self.clock = clock
        self.announce = announce
        """Called with the moment before each piece of due work is delivered."""

    async def run_until(
        self, until: datetime, gateway: ChatGateway, refs: RefBook | None = None
    ) -> int:
        """Deliver everything due by `until`; returns how many items were handled."""
        handled = 0
        while found := await self.store.due_until(until, limit=1):
            self.clock.move_to(found[0].run_at)
            taken = await self.store.claim(
                now=self.clock.now(), owner=OWNER, lease=LEASE, limit=1, max_attempts=6
            )
            if not taken:  # taken meanwhile (a real scheduler may share the database)
                break
            claimed = taken[0]
            result = await handle_due(self.core, claimed.item)
            now = self.clock.now()
            if isinstance(result, Drop):
                await self.store.drop(claimed, OWNER, now=now, reason=result.reason)
            else:
                self.announce(now)
                await deliver(gateway, result.outcome, refs)
                await self.store.complete(claimed, OWNER, now=now)
            handled += 1
        self.clock.move_to(until)
        return handled

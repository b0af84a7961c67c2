"""The inbox written in group commits, for the platform endpoints.

Every delivery claims its inbox keys before it is acknowledged (Slack) or before its turn
runs (Teams), and is marked done after. Written one transaction each, those commits would
cost more than the acknowledgement itself (on SQLite every commit is a sync); here claims
and finishes that arrive while a write is under way wait for it and then go together in
the next one transaction (`Inbox.settle`), so under load many deliveries share a commit
while a delivery arriving alone is written at once. A claim is answered only once its
transaction has committed: acknowledged still means stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime

from adapters.store.inbox import Delivery, Inbox


class GroupedInbox:
    def __init__(self, inbox: Inbox, source: str, now: Callable[[], datetime]) -> None:
        self.inbox = inbox
        self.source = source
        self.now = now
        self._claims: list[tuple[Delivery, asyncio.Future[bool]]] = []
        self._finishes: list[tuple[Sequence[str], asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def claim(self, keys: Sequence[str], payload: str | None = None) -> bool:
        """True if this delivery is the one to handle (see `Inbox.claim`)."""
        if isinstance(keys, str):  # a str is a sequence of one-letter keys: never meant
            raise TypeError("claim takes a sequence of keys, not one key")
        future = self._queue()
        self._claims.append(((keys, payload), future))
        return await asyncio.shield(future)  # a cancelled request leaves the batch intact

    async def finish(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        future = self._queue()
        self._finishes.append((keys, future))
        await asyncio.shield(future)

    def _queue(self) -> asyncio.Future[bool]:
        loop = asyncio.get_running_loop()
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write())
        return loop.create_future()

    async def _write(self) -> None:
        while self._claims or self._finishes:
            claims, self._claims = self._claims, []
            finishes, self._finishes = self._finishes, []
            done = [key for keys, _ in finishes for key in keys]
            try:
                won = await self.inbox.settle(
                    self.source, [delivery for delivery, _ in claims], done, self.now()
                )
            except Exception as exc:  # every waiter sees the failure; nothing was written
                for _, future in claims + finishes:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _, future in finishes:
                if not future.done():
                    future.set_result(True)
            for (_, future), first in zip(claims, won, strict=True):
                if not future.done():
                    future.set_result(first)

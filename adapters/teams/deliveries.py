"""Recognising redelivered activities: the inbox, written in group commits.

Every authenticated activity claims its inbox key before its turn runs and marks it
done after, both before the request is answered. Written one transaction each, those
two commits would cost more than the turn itself (on SQLite every commit is a sync);
here claims and finishes that arrive while a write is under way wait for it and then
go together in the next one transaction, so under load many activities share a commit
while an activity arriving alone is written at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from adapters.store.inbox import Inbox

SOURCE = "teams"


class GroupedInbox:
    def __init__(self, inbox: Inbox, now: Callable[[], datetime]) -> None:
        self.inbox = inbox
        self.now = now
        self._claims: list[tuple[str, asyncio.Future[bool]]] = []
        self._finishes: list[tuple[str, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def claim(self, key: str) -> bool:
        """True if this delivery is the one to handle (see `Inbox.claim`)."""
        return await self._queue(self._claims, key)

    async def finish(self, key: str) -> None:
        await self._queue(self._finishes, key)

    async def _queue(self, queue: list[tuple[str, asyncio.Future[bool]]], key: str) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        queue.append((key, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        return await asyncio.shield(future)  # a cancelled request leaves the batch intact

    async def _write(self) -> None:
        while self._claims or self._finishes:
            claims, self._claims = self._claims, []
            finishes, self._finishes = self._finishes, []
            keys = list(dict.fromkeys(key for key, _ in claims))  # one per key, first wins
            try:
                won = await self.inbox.settle(SOURCE, keys, [k for k, _ in finishes], self.now())
            except Exception as exc:  # every waiter sees the failure; nothing was written
                for _key, future in claims + finishes:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _key, future in finishes:
                if not future.done():
                    future.set_result(True)
            for key, future in claims:
                if not future.done():
                    future.set_result(key in won)
                won.discard(key)  # a second delivery of one key in one batch is a double

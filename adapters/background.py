"""Work started after an acknowledgement, tracked so shutdown can wait for it
(both platforms: Slack's handling after `ack()`, Teams' replies after the answer).

Tasks are held until they finish (none is garbage-collected mid-flight); a failure
that escapes is logged by its type only (messages may hold set content); shutdown
waits for running work up to a grace period, cancels the rest and refuses new work.

Acknowledgements come first: background work takes a `turn()` for its database
transaction; at most `limit` turns run at once, and none starts while an
acknowledgement is writing its inbox row (`urgent()`). On SQLite, which has one
writer at a time and a busy handler that backs off, a waiting inbox write could
otherwise be overtaken again and again by new background transactions. Platform
calls (which may wait out a rate limit) happen outside the turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 10.0


class BackgroundTasks:
    def __init__(self, platform: str = "background", *, limit: int = 4) -> None:
        self.platform = platform
        """Prefixes the log lines (`slack: …`, `teams: …`)."""
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(limit)
        self._urgent = 0
        self._no_urgent_work = asyncio.Event()
        self._no_urgent_work.set()
        self._closed = False

    def __len__(self) -> int:
        return len(self._tasks)

    @asynccontextmanager
    async def urgent(self) -> AsyncIterator[None]:
        """Hold back new background work while this block (an acknowledgement) runs."""
        self._urgent += 1
        self._no_urgent_work.clear()
        try:
            yield
        finally:
            self._urgent -= 1
            if self._urgent == 0:
                self._no_urgent_work.set()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """One of `limit` places for a database transaction, once no ack is urgent."""
        async with self._slots:
            await self._no_urgent_work.wait()
            yield

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None] | None:
        """Run `work` in the background; None (and `work` discarded) once shutting down."""
        if self._closed:
            work.close()
            log.warning("%s: %s dropped: shutting down", self.platform, name)
            return None
        task = asyncio.create_task(self._run(work, name), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except Exception as exc:  # logged by type only: the message may hold set content
            log.error("%s: %s failed (%s)", self.platform, name, type(exc).__name__)

    async def close(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Let running work finish for up to `grace` seconds, then cancel what is left."""
        self._closed = True
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        if pending:
            log.warning(
                "%s: cancelling %d unfinished background task(s)", self.platform, len(pending)
            )
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

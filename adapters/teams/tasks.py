"""Background work that must outlive the request that started it (outbound replies).

Tasks are tracked so none is garbage-collected mid-flight, their failures are
logged (by type only: messages may hold set content), and shutdown waits for them
up to a deadline and then cancels the rest.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def spawn(self, coro: Coroutine[Any, Any, Any], *, what: str) -> None:
        if self._closed:
            coro.close()
            log.warning("teams: %s dropped: shutting down", what)
            return
        task = asyncio.get_running_loop().create_task(self._run(coro, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(coro: Coroutine[Any, Any, Any], what: str) -> None:
        try:
            await coro
        except Exception as exc:  # logged by type only: the message may hold set content
            log.error("teams: %s failed (%s)", what, type(exc).__name__)

    def __len__(self) -> int:
        return len(self._tasks)

    async def close(self, *, grace: float = 10.0) -> None:
        self._closed = True
        if not self._tasks:
            return
        pending = set(self._tasks)
        _done, still = await asyncio.wait(pending, timeout=grace)
        for task in still:
            task.cancel()
        if still:
            await asyncio.wait(still)
            log.warning("teams: %d outbound task(s) cancelled at shutdown", len(still))

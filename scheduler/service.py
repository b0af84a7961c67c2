"""The scheduler `revans serve` runs: APScheduler triggers, the database holds the truth.

One `AsyncIOScheduler` with a periodic sweep job (`REVANS_SWEEP_SECONDS`;
coalesced, never two at once, and one at start-up), plus in-memory one-shot
`date` jobs for work where seconds matter (`WorkKind.precise`). A one-shot job
only triggers claiming of its row: if the process dies, the row is still
pending and a sweep (here or on another replica) delivers it. Jobs live in
memory only — APScheduler's SQLAlchemyJobStore cannot be shared by replicas.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.duework import DueWork
from scheduler.core_entry import timed_kinds
from scheduler.sweeper import Sweeper, error_summary

log = logging.getLogger(__name__)

SWEEP_JOB = "sweep"


class TimeService:
    def __init__(self, sweeper: Sweeper, *, sweep_seconds: float) -> None:
        self.sweeper = sweeper
        self.sweep_seconds = sweep_seconds
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.sweeps = 0
        """Completed sweeps (for health checks and tests)."""

    @property
    def lookahead(self) -> timedelta:
        """Precise work due before the sweep after next gets its own timer now."""
        return timedelta(seconds=2 * self.sweep_seconds)

    def start(self) -> None:
        self.scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self.sweep_seconds,
            id=SWEEP_JOB,
            next_run_time=datetime.now(UTC),  # a sweep at start-up
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        self.scheduler.start()

    async def stop(self, timeout: float = 10.0) -> None:
        """Finish the row in hand, give back the rest, then stop the timers.

        APScheduler's shutdown cancels the jobs still running, and a query cancelled in
        flight can leave aiosqlite's thread behind (the process then never exits). So no
        job may be inside a query by then: a job whose first step comes after this returns
        at once (`stopping`), and the running ones (`_busy`) are waited for."""
        self.sweeper.stopping = True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("scheduler: a sweep was still running at shutdown; its leases will expire")
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # APScheduler's asyncio shutdown runs on the next loop turn

    async def sweep(self) -> None:
        if self.sweeper.stopping:
            return
        async with self._busy():
            try:
                report = await self.sweeper.sweep_once()
                await self.arm_upcoming()
            except Exception as exc:  # the database may be briefly away: try next time
                log.error("sweep failed: %s", error_summary(exc))
                return
            self.sweeps += 1
            if report.handled:
                log.info(
                    "sweep: %d delivered, %d dropped, %d retried, %d deferred, %d failed",
                    report.delivered,
                    report.dropped,
                    report.retried,
                    report.deferred,
                    report.failed,
                )

    async def arm_upcoming(self) -> None:
        """Timers for precise work coming due soon (scheduled by any replica)."""
        if self.sweeper.stopping:
            return
        until = self.sweeper.now() + self.lookahead
        for key, at in await self.sweeper.claims.upcoming(timed_kinds(self.sweeper.core), until):
            self.arm(key, at)

    def schedule_precise(self, item: DueWork) -> None:
        """A one-shot timer that claims `item`'s row when it is due (the row stays the truth:
        the work must already be queued, e.g. by `uow.due_work.schedule`)."""
        self.arm(item.key, item.due_at)

    def arm(self, key: str, at: datetime) -> None:
        """A one-shot timer that claims `key`'s row at `at`; re-arming replaces the timer."""
        if self.sweeper.stopping:
            return
        self.scheduler.add_job(
            self.fire,
            "date",
            run_date=at,
            args=[key],
            id=f"precise:{key}",
            replace_existing=True,
            misfire_grace_time=None,
        )

    def on_scheduled(self, item: DueWork) -> None:
        """Listener for newly committed due work: precise work due soon gets a timer."""
        if (
            item.kind in timed_kinds(self.sweeper.core)
            and item.due_at <= self.sweeper.now() + self.lookahead
        ):
            self.schedule_precise(item)

    async def fire(self, key: str) -> None:
        if self.sweeper.stopping:
            return
        async with self._busy():
            try:
                again = await self.sweeper.fire(key)
            except Exception as exc:
                log.error("precise due work failed to run: %s", error_summary(exc))
                return
        if again is not None and again <= self.sweeper.now() + self.lookahead:
            self.arm(key, again)

    @asynccontextmanager
    async def _busy(self) -> AsyncIterator[None]:
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()


ScheduledListener = Callable[[DueWork], None]


@asynccontextmanager
async def running(
    service: TimeService, listeners: list[ScheduledListener]
) -> AsyncIterator[TimeService]:
    """Run `service` for the block: it listens (in `listeners`, called after each commit
    with newly queued work) for precise work, and stops cleanly on the way out."""
    listeners.append(service.on_scheduled)
    service.start()
    try:
        yield service
    finally:
        listeners.remove(service.on_scheduled)
        await service.stop()
        log.info("scheduler stopped")

"""The sweeper: claim due work, hand it to the core, deliver, record the result.

Plain async code with an injected clock, so tests drive it by moving a fake
clock; APScheduler only calls `sweep_once()` and `fire(key)` (see `service.py`).

For each claimed row: the core's `handle_due` says `Send` or `Drop`; a `Send`'s
messages are delivered (each tagged with the work key, for platforms that can
check before re-sending) and only then is the row marked done. A failure is
retried with exponential back-off and finally parked as failed; a platform's
`RateLimited` re-queues the row for Retry-After without counting as a failure;
a row no gateway serves is parked at once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.delivery import RefBook, deliver
from bot.dispatch import Core
from bot.duework import Drop, DueWork, tag_with_key
from bot.errors import DeliveryError, RateLimited, UserError
from bot.messages import Audience, Direct, Outcome, Private, Public
from bot.ports import Claimed, DueWorkClaims, GatewayResolver, NoGateway
from scheduler.core_entry import due_result

log = logging.getLogger(__name__)

MIN_DEFER_SECONDS = 1.0


@dataclass(frozen=True)
class RetryPolicy:
    lease: timedelta = timedelta(minutes=5)
    """How long a claim is held; a worker that dies loses its rows after this."""
    batch: int = 50
    """Rows per claim; each batch is handled well within one lease."""
    concurrency: int = 8
    """Sets (or members) handled at once within a batch; one set's work stays in order."""
    max_attempts: int = 6
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)

    def backoff(self, attempts: int) -> timedelta:
        """Wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, … capped."""
        factor: int = 2 ** max(attempts - 1, 0)
        return min(self.first_backoff * factor, self.max_backoff)


@dataclass
class SweepReport:
    delivered: int = 0
    dropped: int = 0
    retried: int = 0
    deferred: int = 0
    failed: int = 0
    released: int = 0

    @property
    def handled(self) -> int:
        return self.delivered + self.dropped + self.retried + self.deferred + self.failed


def error_summary(exc: BaseException) -> str:
    """A short, content-free description: the class, plus a platform's error code.

    Gateways put platform error codes (e.g. `not_in_channel`) in `DeliveryError`s,
    never message text; other exceptions are reduced to their class name.
    """
    name = type(exc).__name__
    if isinstance(exc, DeliveryError) and str(exc):
        return f"{name}: {str(exc)[:150]}"
    return name


@dataclass
class Sweeper:
    claims: DueWorkClaims
    core: Core
    gateways: GatewayResolver
    """The gateway for a place or user id; raises `NoGateway` for a platform not served."""
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    owner: str = field(default_factory=lambda: f"w-{uuid.uuid4().hex[:12]}")
    refs: RefBook | None = None
    """Where refs of remembered messages are kept (a round's message, updated in place)."""
    outbox: Callable[[Outcome], Awaitable[None]] | None = None
    """A server's outbox sender (see `bot.outbox`): the handler's effects and its answer
    commit together, the row is completed, and the answer is sent (and retried, a 429
    waited for) from the outbox. Without one, the answer is delivered here, and a failed
    or rate-limited delivery retries the row."""
    stopping: bool = False
    """Set when shutting down: finish the row in hand, give the rest of the batch back."""

    def now(self) -> datetime:
        return self.core.clock.now()

    async def sweep_once(self) -> SweepReport:
        """Claim and handle batches until nothing is due (or we are stopping)."""
        report = SweepReport()
        while not self.stopping:
            batch = await self.claims.claim(
                now=self.now(),
                owner=self.owner,
                lease=self.policy.lease,
                limit=self.policy.batch,
                max_attempts=self.policy.max_attempts,
            )
            if not batch:
                break
            await self._handle_batch(batch, report)
        return report

    async def fire(self, key: str) -> datetime | None:
        """Handle one row now if it is due (a precise timer fired).

        Returns when to try again if the row is (still) pending: the timer fired early,
        or the send was deferred or backed off; else None.
        """
        claimed = await self.claims.claim_key(
            key, now=self.now(), owner=self.owner, lease=self.policy.lease
        )
        if claimed is not None:
            await self._handle_batch([claimed], SweepReport())
        return await self.claims.pending_run_at(key)  # e.g. deferred by a Retry-After

    async def _handle_batch(self, batch: list[Claimed], report: SweepReport) -> None:
        """Different sets concurrently (platform calls are slow); each set's work in order."""
        lanes: dict[str, list[Claimed]] = {}
        for claimed in sorted(batch, key=lambda c: c.item.due_at):
            lanes.setdefault(lane_of(claimed.item), []).append(claimed)
        limit = asyncio.Semaphore(self.policy.concurrency)

        async def run_lane(lane: list[Claimed]) -> None:
            async with limit:
                for claimed in lane:
                    if self.stopping:
                        await self.claims.release(claimed, self.owner, now=self.now())
                        report.released += 1
                    else:
                        await self.handle(claimed, report)

        async with asyncio.TaskGroup() as group:
            for lane in lanes.values():
                group.create_task(run_lane(lane))

    async def handle(self, claimed: Claimed, report: SweepReport) -> None:
        item = claimed.item
        if self.outbox is not None:
            await self._handle_queued(claimed, report)
            return
        try:
            result = await due_result(self.core, item)
            if isinstance(result, Drop):
                await self._drop(claimed, result.reason, report)
                return
            await self.send(item, result.outcome)
        except RateLimited as exc:
            await self._defer(claimed, exc.retry_after, report)
        except (NoGateway, UserError) as exc:
            await self._park(claimed, exc, report)
        except Exception as exc:
            await self._fail(claimed, exc, report)
        else:
            if not await self.claims.complete(claimed, self.owner, now=self.now()):
                self._lease_lost(claimed, "delivered")
            report.delivered += 1

    async def _handle_queued(self, claimed: Claimed, report: SweepReport) -> None:
        assert self.outbox is not None
        try:
            result = await due_result(
                self.core, claimed.item, queue=True, deliverable=self._routable
            )
        except (NoGateway, UserError) as exc:
            await self._park(claimed, exc, report)
            return
        except Exception as exc:
            await self._fail(claimed, exc, report)
            return
        if isinstance(result, Drop):
            await self._drop(claimed, result.reason, report)
            return
        if not await self.claims.complete(claimed, self.owner, now=self.now()):
            self._lease_lost(claimed, "delivered")
        report.delivered += 1
        try:
            await self.outbox(result.outcome)
        except Exception as exc:  # queued and committed: the outbox drain sends it later
            log.warning(
                "due work %d: its answer waits in the outbox (%s)", claimed.id, error_summary(exc)
            )

    def _routable(self, outcome: Outcome) -> None:
        """Raise `NoGateway` for an answer no gateway here could send (it is parked)."""
        for outgoing in outcome.messages:
            self.gateways(audience_id(outgoing.to))

    async def send(self, item: DueWork, outcome: Outcome) -> None:
        """Deliver each message through its platform's gateway, tagged with the work key."""
        tagged = tag_with_key(item.key, outcome)
        for outgoing in tagged.messages:
            gateway = self.gateways(audience_id(outgoing.to))
            await deliver(gateway, Outcome((outgoing,)), self.refs)

    async def _drop(self, claimed: Claimed, reason: str, report: SweepReport) -> None:
        log.info("due work %d (%s) dropped: %s", claimed.id, claimed.item.kind, reason)
        if not await self.claims.drop(claimed, self.owner, now=self.now(), reason=reason):
            self._lease_lost(claimed, "dropped")
        report.dropped += 1

    async def _defer(self, claimed: Claimed, retry_after: float, report: SweepReport) -> None:
        # at least a second: a "retry after 0" must not spin this sweep on the same row
        at = self.now() + timedelta(seconds=max(retry_after, MIN_DEFER_SECONDS))
        log.info(
            "due work %d (%s) rate limited; again in %gs",
            claimed.id,
            claimed.item.kind,
            retry_after,
        )
        if not await self.claims.defer(claimed, self.owner, now=self.now(), at=at):
            self._lease_lost(claimed, "deferred")
        report.deferred += 1

    async def _park(self, claimed: Claimed, exc: BaseException, report: SweepReport) -> None:
        error = error_summary(exc)
        log.error("due work %d (%s) parked as failed: %s", claimed.id, claimed.item.kind, error)
        if not await self.claims.park(claimed, self.owner, now=self.now(), error=error):
            self._lease_lost(claimed, "parked")
        report.failed += 1

    async def _fail(self, claimed: Claimed, exc: BaseException, report: SweepReport) -> None:
        if claimed.attempts >= self.policy.max_attempts:
            await self._park(claimed, exc, report)
            return
        error = error_summary(exc)
        wait = self.policy.backoff(claimed.attempts)
        log.warning(
            "due work %d (%s) attempt %d failed (%s); retry in %ds",
            claimed.id,
            claimed.item.kind,
            claimed.attempts,
            error,
            wait.total_seconds(),
        )
        at = self.now() + wait
        if not await self.claims.retry_at(claimed, self.owner, now=self.now(), at=at, error=error):
            self._lease_lost(claimed, "retried")
        report.retried += 1

    def _lease_lost(self, claimed: Claimed, what: str) -> None:
        log.warning(
            "due work %d (%s) %s after its lease passed to another worker; it may be handled twice",
            claimed.id,
            claimed.item.kind,
            what,
        )


def lane_of(item: DueWork) -> str:
    """Work in one lane is delivered in due order: a set's, else a member's, else its own."""
    return item.set_id or item.user_id or item.key


def audience_id(to: Audience) -> str:
    """The id that decides the platform of a message's audience."""
    if isinstance(to, Public):
        return to.place_id
    if isinstance(to, Private):
        return to.place_id or to.user_id
    assert isinstance(to, Direct)
    return to.user_id

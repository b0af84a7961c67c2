"""Due work: something the bot must do at a moment in time, stored until then.

A `DueWork` holds ids, a kind and a time — never message content: the text is
built from the stored records when the work is delivered, so erasing or editing
those records also changes (or cancels) what is sent. The `key` makes
scheduling idempotent: scheduling the same key twice queues the work once.

Adding a kind of work (e.g. a meeting reminder) takes three steps:

1. write a handler `async def remind(item, *, uow, now) -> DueResult` that reads
   what it needs through `uow`, and returns `Send(outcome)` or `Drop(reason)`;
2. declare it beside its handler as a `WorkKind` with its `stale_after` rule and list it
   in `bot.catalogue.KINDS`;
3. in the use case, `await uow.due_work.schedule(DueWork(kind=..., key=..., ...))`
   in the same unit of work as the change that makes it due.

Handlers must be safe to run again for the same item: a handler that fails is run
again on the next attempt (on a server, a handler whose answer was queued is not:
see `bot.outbox`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.messages import Outcome

MAX_KIND, MAX_KEY = 64, 255


@dataclass(frozen=True)
class DueWork:
    """One piece of due work: ids and a time, nothing a member wrote."""

    kind: str
    key: str
    """Idempotency key, unique across all work (e.g. "agreement.reminder:SET:USER:…")."""
    due_at: datetime
    set_id: str | None = None
    user_id: str | None = None
    subject_id: str | None = None
    """The thing the work is about (a meeting, a round, an action), if any."""

    def __post_init__(self) -> None:
        if self.due_at.tzinfo is None or self.due_at.utcoffset() is None:
            raise ValueError("DueWork needs an aware due_at")
        if not 0 < len(self.kind) <= MAX_KIND or not 0 < len(self.key) <= MAX_KEY:
            raise ValueError("DueWork needs a kind (≤ 64 characters) and a key (≤ 255)")


@dataclass(frozen=True)
class Send:
    """Deliver this outcome, then mark the work done."""

    outcome: Outcome


@dataclass(frozen=True)
class Drop:
    """Nothing to send any more; `reason` is logged and stored (no content in it)."""

    reason: str


DueResult = Send | Drop

DueHandler = Callable[..., Awaitable[DueResult]]
"""`async (item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult`."""


@dataclass(frozen=True)
class WorkKind:
    """How one kind of due work behaves: declared once beside its handler, listed in
    `bot.catalogue.KINDS`."""

    name: str
    handler: DueHandler
    stale_after: timedelta | None = None
    """Found later than this after `due_at` (e.g. after downtime): dropped as stale.
    `None`: done once however late."""
    precise: bool = False
    """Seconds matter (live phase ends): also set an in-memory timer for the due instant,
    instead of waiting for the next sweep."""

    def staleness(self, item: DueWork, now: datetime) -> str | None:
        """Why `item` is too late to deliver at `now`, or None if it is not."""
        if self.stale_after is None:
            return None
        late = now - item.due_at
        if late <= self.stale_after:
            return None
        return f"stale: {_span(late)} late, limit {_span(self.stale_after)}"


def _span(delta: timedelta) -> str:
    """A compact duration for logs: 3d4h, 2h, 45m."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return "".join(parts) or "0m"


def work_key(kind: str, *parts: str) -> str:
    """A readable idempotency key from ids; hashed when the ids are too long for the column."""
    key = ":".join((kind, *parts))
    if len(key) <= MAX_KEY:
        return key
    return f"{kind}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def tag_with_key(key: str, outcome: Outcome) -> Outcome:
    """Put the work key on each message (`key`, `key#2`, …) for outbound de-duplication."""
    return Outcome(
        tuple(
            dataclasses.replace(
                o, message=dataclasses.replace(o.message, key=key if n == 1 else f"{key}#{n}")
            )
            for n, o in enumerate(outcome.messages, start=1)
        ),
        outcome.forms,
    )

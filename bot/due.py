"""The core's entry for due work: each kind's rule and handler, and `handle_due`.

The scheduler claims a stored item, calls `handle_due`, delivers a `Send`'s
outcome and only then marks the item done; a `Drop` is marked dropped with its
reason. A kind not declared here raises `UnknownWorkKind`, which the scheduler
retries and finally parks as failed (a newer replica may know the kind).
"""

from __future__ import annotations

from datetime import datetime

from bot.dispatch import Core
from bot.duework import Drop, DueResult, DueWork, WorkKind
from bot.errors import UnknownWorkKind
from bot.ports import UnitOfWork
from bot.usecases import agreement_reminder, meeting_reminder

KINDS: dict[str, WorkKind] = {
    kind.name: kind
    for kind in (
        WorkKind(
            agreement_reminder.KIND,
            agreement_reminder.remind_to_agree,
            stale_after=agreement_reminder.STALE_AFTER,
        ),
        WorkKind(
            meeting_reminder.KIND,
            meeting_reminder.remind_of_meeting,
            stale_after=meeting_reminder.STALE_AFTER,
        ),
    )
}


def kind_of(item: DueWork) -> WorkKind:
    try:
        return KINDS[item.kind]
    except KeyError:
        raise UnknownWorkKind(item.kind) from None


def precise_kinds() -> frozenset[str]:
    return frozenset(name for name, kind in KINDS.items() if kind.precise)


async def evaluate_due(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    """What `item` comes to at `now`: stale work is dropped before its handler runs."""
    kind = kind_of(item)
    stale = kind.staleness(item, now)
    if stale is not None:
        return Drop(stale)
    return await kind.handler(item, uow=uow, now=now)


async def handle_due(core: Core, item: DueWork) -> DueResult:
    """Run `item`'s handler in one transaction (handlers may change state, e.g. end a phase)."""
    async with core.uow() as uow:
        result = await evaluate_due(item, uow=uow, now=core.clock.now())
        await uow.commit()
    return result


async def preview_due(core: Core, item: DueWork, at: datetime) -> DueResult:
    """What `handle_due` would do at `at`, changing nothing (the transaction is rolled back)."""
    async with core.uow() as uow:
        return await evaluate_due(item, uow=uow, now=at)

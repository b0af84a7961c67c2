"""The scheduler's one door into the core: what a piece of due work comes to, and
which kinds need a timer of their own.

Every call the scheduler makes into the core goes through here, so when the core
moves these (e.g. `KINDS` to a catalogue, `handle_due` to the dispatcher) the
scheduler is re-pointed in this one module.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.dispatch import Core, handle_due, precise_kinds
from bot.duework import DueResult, DueWork
from bot.messages import Outcome


async def due_result(
    core: Core,
    item: DueWork,
    *,
    queue: bool = False,
    deliverable: Callable[[Outcome], None] | None = None,
) -> DueResult:
    """Run `item`'s handler in one transaction: `Send` its outcome or `Drop` it; with
    `queue`, the outcome is queued in the outbox in that transaction (if `deliverable`
    accepts it)."""
    return await handle_due(core, item, queue=queue, deliverable=deliverable)


def timed_kinds(core: Core) -> frozenset[str]:
    """Kinds where seconds matter: each due row gets an in-memory timer too."""
    return precise_kinds(core)

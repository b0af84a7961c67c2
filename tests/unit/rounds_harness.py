"""Running a set's rounds in unit tests: a set, due work run by moving the fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.dispatch import Core, handle_due
from bot.duework import DueWork, Send
from bot.messages import Outcome
from bot.model import Round
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import is_error, say


async def a_set(core: Core, *members: str, name: str = "Ward leaders") -> None:
    """fay facilitates; each member joins and agrees."""
    assert not is_error(await say(core, "fay", f"create {name}", tz="Europe/London"))
    for member in members:
        assert not is_error(await say(core, member, "join"))
        assert not is_error(await say(core, member, "agree"))


def pending(store: MemoryStore, kind: str | None = None) -> list[DueWork]:
    found = [w for w in store.committed.due_work.values() if kind is None or w.kind == kind]
    return sorted(found, key=lambda w: (w.due_at, w.key))


def the_round(store: MemoryStore) -> Round:
    (round_,) = [r for r in store.committed.rounds.values() if r.is_open] or [
        max(store.committed.rounds.values(), key=lambda r: r.started_at)
    ]
    return round_


async def run_item(core: Core, store: MemoryStore, item: DueWork) -> Outcome:
    """Hand one item to the core, as the sweeper would, and mark it done."""
    result = await handle_due(core, item)
    store.committed.due_work.pop(item.key, None)
    store.committed.finished.add(item.key)
    return result.outcome if isinstance(result, Send) else Outcome()


async def run_until(
    core: Core, store: MemoryStore, clock: FakeClock, until: datetime
) -> list[tuple[DueWork, Outcome]]:
    """Move the clock to each due item in turn (as precise timers would) up to `until`."""
    ran = []
    while (due := [w for w in pending(store) if w.due_at <= until]) != []:
        item = due[0]
        clock.current = max(clock.current, item.due_at)
        ran.append((item, await run_item(core, store, item)))
    clock.current = max(clock.current, until)
    return ran


async def wait(core: Core, store: MemoryStore, clock: FakeClock, **span: float) -> Outcome:
    """Let time pass; what the bot said meanwhile, in order."""
    outcome = Outcome()
    for _, said in await run_until(core, store, clock, clock.current + timedelta(**span)):
        outcome += said
    return outcome

"""Due work in the core: the value, stale rules, and the agreement reminder's life."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.catalogue import KINDS
from bot.dispatch import Core, handle_due, preview_due
from bot.duework import Drop, DueWork, Send, WorkKind, work_key
from bot.errors import UnknownWorkKind
from bot.messages import Direct
from bot.usecases.agreement_reminder import KIND, REMIND_AFTER, STALE_AFTER
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import say, uid

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_due_work_refuses_naive_times_and_overlong_keys() -> None:
    with pytest.raises(ValueError, match="aware"):
        DueWork(kind=KIND, key="k", due_at=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="255"):
        DueWork(kind=KIND, key="k" * 256, due_at=T0)
    with pytest.raises(ValueError, match="64"):
        DueWork(kind="k" * 65, key="k", due_at=T0)


def test_work_keys_stay_readable_and_fit_the_column() -> None:
    assert work_key("a.b", "s1", "slack:T1:U3") == "a.b:s1:slack:T1:U3"
    long = work_key("a.b", "x" * 300)
    assert len(long) < 255 and long.startswith("a.b:sha256:")
    assert long == work_key("a.b", "x" * 300) != work_key("a.b", "y" * 300)


def test_stale_rule_measures_lateness_from_the_due_instant() -> None:
    async def nothing(*_: object, **__: object) -> Drop:
        return Drop("n/a")

    reminder = WorkKind("meeting.reminder", nothing, stale_after=timedelta(hours=1))
    item = DueWork(kind="meeting.reminder", key="m", due_at=T0)
    assert reminder.staleness(item, T0 + timedelta(hours=1)) is None
    assert reminder.staleness(item, T0 + timedelta(hours=3)) == "stale: 3h late, limit 1h"
    late = T0 + timedelta(days=2, hours=1, minutes=5)
    assert reminder.staleness(item, late) == "stale: 2d1h5m late, limit 1h"
    assert WorkKind("x", nothing).staleness(item, T0 + timedelta(days=400)) is None


async def reminder_after_join(store: MemoryStore, core: Core) -> DueWork:
    await say(core, "fay", f"create Ward {PLANTED}")
    await say(core, "ann", "join")
    (item,) = store.committed.due_work.values()
    return item


async def test_joining_queues_a_reminder_a_day_later(store: MemoryStore, core: Core) -> None:
    item = await reminder_after_join(store, core)
    assert item.kind == KIND and item.user_id == uid("ann")
    assert item.due_at == core.clock.now() + REMIND_AFTER
    assert PLANTED not in repr(item)  # ids and times only, never content


async def test_leaving_cancels_the_reminder(store: MemoryStore, core: Core) -> None:
    await reminder_after_join(store, core)
    await say(core, "ann", "leave")
    assert store.committed.due_work == {}


async def test_the_due_reminder_invites_the_member_privately(
    store: MemoryStore, core: Core, clock: FakeClock
) -> None:
    item = await reminder_after_join(store, core)
    clock.advance(days=1)
    result = await handle_due(core, item)
    assert isinstance(result, Send)
    (outgoing,) = result.outcome.messages
    assert outgoing.to == Direct(uid("ann"))
    assert "`agree`" in str(outgoing.message)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("agreed", "already agreed"),
        ("left", "no longer a member"),
        ("closed", "set closed"),
        ("deleted", "set no longer exists"),
    ],
)
async def test_the_reminder_drops_itself_when_no_longer_needed(
    store: MemoryStore, core: Core, clock: FakeClock, change: str, reason: str
) -> None:
    item = await reminder_after_join(store, core)
    data = store.committed
    assert item.set_id is not None and item.user_id is not None
    if change == "agreed":
        data.memberships[(item.set_id, item.user_id)].agreed_at = clock.now()
    elif change == "left":
        data.memberships[(item.set_id, item.user_id)].left_at = clock.now()
    elif change == "closed":
        from bot.model import SetStatus

        data.sets[item.set_id].status = SetStatus.CLOSED
    else:
        del data.sets[item.set_id]
    clock.advance(days=1)
    assert await handle_due(core, item) == Drop(reason)


async def test_a_reminder_found_a_week_late_is_stale(
    store: MemoryStore, core: Core, clock: FakeClock
) -> None:
    item = await reminder_after_join(store, core)
    late = item.due_at + STALE_AFTER + timedelta(minutes=1)
    result = await preview_due(core, item, late)
    assert isinstance(result, Drop) and result.reason.startswith("stale:")
    assert store.commits == 2  # create + join: previewing changed nothing


async def test_unknown_kinds_raise(core: Core) -> None:
    with pytest.raises(UnknownWorkKind):
        await handle_due(core, DueWork(kind="nope", key="n", due_at=T0))


def test_every_declared_kind_is_registered_under_its_own_name() -> None:
    assert KINDS and all(name == kind.name for name, kind in KINDS.items())

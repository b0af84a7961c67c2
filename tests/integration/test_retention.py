"""Retention as due work, on SQLite and PostgreSQL: the daily `retention.sweep` deletes a
set closed more than 90 days ago with everything it holds (found by walking the schema),
keeps a set still within its time and an open one, forgets finished due work after 30
days and deliveries after a day, and plans the next day's sweep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from adapters.store.uow import SqlUnitOfWorkFactory
from bot.context import Context
from bot.dispatch import Core, handle_command, handle_due
from bot.model import Actor, Place, PlaceKind
from bot.usecases.retention import KIND, keep_sweeping, sweep_on
from tests.fakes import FakeClock

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def count(uows: SqlUnitOfWorkFactory, sql: str) -> int:
    async with uows.engine.connect() as conn:
        return int((await conn.execute(text(sql))).scalar_one())


async def test_a_set_closed_90_days_ago_goes_with_everything_it_holds(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    clock = FakeClock(T0)
    core = Core(uow=uow_factory, clock=clock)

    async def say(name: str, room: str, words: str) -> None:
        place = Place(f"test:{room}", PlaceKind.CHANNEL, "test")
        await handle_command(core, Context(place, Actor(f"test:{name}", name)), words)

    for room in ("old", "recent", "open"):
        await say("fay", room, f"create Set {room}")
        await say("ann", room, "join")
        await say("ann", room, "agree")
        await say("ann", room, "challenge a real problem")
        await say("ann", room, "commit call the rota team")
        await say("ann", room, "progress 1 met them")
    await say("fay", "old", "close")
    clock.advance(days=30)
    await say("fay", "recent", "close")
    clock.advance(days=61)  # "old" closed 91 days ago, "recent" 61

    await keep_sweeping(uow_factory, clock.now())
    await keep_sweeping(uow_factory, clock.now())  # idempotent: still one
    pending = f"SELECT count(*) FROM due_work WHERE kind = '{KIND}' AND state = 'pending'"
    assert await count(uow_factory, pending) == 1
    result = await handle_due(core, sweep_on(clock.now()))
    assert result is not None

    names = "SELECT name FROM learning_set ORDER BY name"
    async with uow_factory.engine.connect() as conn:
        left = [n for (n,) in (await conn.execute(text(names))).all()]
    assert left == ["Set open", "Set recent"]
    assert await count(uow_factory, "SELECT count(*) FROM membership") == 4  # fay, ann × 2
    for table in ("statement", "action"):
        assert await count(uow_factory, f"SELECT count(*) FROM {table}") == 2, table
    assert await count(uow_factory, "SELECT count(*) FROM action_note") == 2
    tomorrow = sweep_on(clock.now() + timedelta(days=1))
    assert (
        await count(uow_factory, f"SELECT count(*) FROM due_work WHERE key = '{tomorrow.key}'") == 1
    )

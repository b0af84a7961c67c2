"""Night-shift working hours survive the real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import time

from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from tests.fakes import FakeClock
from tests.unit.talk import is_error, say, uid


async def test_night_hours_round_trip(uow_factory: SqlUnitOfWorkFactory) -> None:
    core = Core(uow=uow_factory, clock=FakeClock())
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    assert not is_error(await say(core, "fay", "settings hours 22:00-06:00 days fri-mon"))
    assert is_error(await say(core, "fay", "settings nudges off hours 24:00-06:00"))
    async with uow_factory() as uow:
        mine = await uow.person_settings.get(uid("fay"))
    assert mine is not None
    assert (mine.hours, mine.days, mine.nudges) == ((time(22), time(6)), (4, 5, 6, 0), True)

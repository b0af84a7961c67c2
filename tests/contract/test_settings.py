"""A person's settings and a set's options: saved whole, read back the same."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.model import PersonSettings, SetOptions
from bot.ports import UnitOfWorkFactory
from tests.records import T0, a_set

SETTINGS = [
    PersonSettings("u1"),
    PersonSettings("u1", (time(8), time(16, 30)), (0, 1, 2, 3, 4), "fr", False, False, T0),
    PersonSettings("u1", (time(22), time(6)), (5, 6)),  # night shifts cross midnight
]
EVERY_OPTION = SetOptions(
    "s1", "We keep confidences.", "shared", (5, 10, 20, 10, 5), 2, False, ("u1", "u2"), "de"
)
OPTIONS = [SetOptions("s1"), EVERY_OPTION, SetOptions("s1", checkin="off")]


@pytest.mark.parametrize("saved", SETTINGS, ids=["defaults", "everything", "night"])
async def test_person_settings_round_trip(
    uow_factory: UnitOfWorkFactory, saved: PersonSettings
) -> None:
    async with uow_factory() as uow:
        assert await uow.person_settings.get("u1") is None
        await uow.person_settings.save(PersonSettings("u1", language="en", nudges=False))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.person_settings.save(saved)  # replaces every field
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.person_settings.get("u1") == saved
        assert await uow.person_settings.get("u2") is None


@pytest.mark.parametrize("saved", OPTIONS, ids=["defaults", "everything", "checkin-off"])
async def test_set_options_round_trip(uow_factory: UnitOfWorkFactory, saved: SetOptions) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        assert await uow.set_options.get("s1") is None
        await uow.set_options.save(SetOptions("s1", agreement="first", live=(1, 1, 1, 1, 1)))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.set_options.save(saved)  # replaces every field
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.set_options.get("s1") == saved


async def test_no_working_days_is_read_back_as_not_set(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.person_settings.save(PersonSettings("u1", days=()))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.person_settings.get("u1") == PersonSettings("u1", days=None)


async def test_away_until_keeps_the_instant(uow_factory: UnitOfWorkFactory) -> None:
    away = T0 + timedelta(days=3, hours=5, minutes=7)
    async with uow_factory() as uow:
        await uow.person_settings.save(PersonSettings("u1", away_until=away))
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.person_settings.get("u1")
    assert loaded is not None and loaded.away_until == away
    assert loaded.away_until.utcoffset() == timedelta(0)

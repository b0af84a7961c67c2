"""`settings hours` across midnight (night shifts), and a refused part of `settings`
refuses the whole command: nothing of it is kept."""

from __future__ import annotations

import copy
from datetime import time

import pytest

from bot import commands as c
from bot import grammar
from bot.catalogue import VERBS
from bot.dispatch import Core
from bot.errors import GrammarError
from tests.fakes import MemoryStore
from tests.unit.talk import is_error, private_to, say, uid


def parse(text: str) -> object:
    return grammar.parse(VERBS, text)


def test_night_hours_parse() -> None:
    assert parse("settings hours 22:00-06:00") == c.Settings(hours=(time(22), time(6)))
    assert parse("settings hours 18:00-00:00") == c.Settings(hours=(time(18), time(0)))


def test_hours_that_start_and_end_together_are_refused() -> None:
    with pytest.raises(GrammarError, match="start and end at the same time"):
        parse("settings hours 09:00-09:00")


async def test_a_night_worker_keeps_night_hours(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    outcome = await say(core, "fay", "settings hours 22:00-06:00 days mon-thu nudges off")
    (answer,) = private_to(outcome, "fay")
    assert not is_error(outcome)
    assert "working hours: 22:00-06:00 (overnight: each shift belongs to the day it starts)" in (
        answer
    )
    mine = store.committed.person_settings[uid("fay")]
    assert (mine.hours, mine.days, mine.nudges) == ((time(22), time(6)), (0, 1, 2, 3), False)


@pytest.mark.parametrize(
    "text",
    [
        "settings tz Europe/Paris nudges off hours 25:00-06:00",
        "settings hours 22:00-06:00 nudges off days someday",
        "settings tz Europe/Paris hours 22:00-06:00 away until 2020-01-01",
        "settings nudges off hours 07:00-07:00 coaching off",
    ],
)
async def test_a_refused_part_keeps_none_of_the_others(
    core: Core, store: MemoryStore, text: str
) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "fay", text)
    (answer,) = private_to(outcome, "fay")
    assert is_error(outcome) and "Example: `/set settings" in answer
    assert store.committed == before

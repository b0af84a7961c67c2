"""A date that has passed is named as passed, not as "more than two years away"."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest

from bot.commands import DateWords
from bot.dispatch import Core
from bot.errors import GrammarError
from bot.parsing.dates import resolve_date
from tests.fakes import MemoryStore
from tests.unit.talk import is_error, private_to, say

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("words", ["2020-01-01", "2026-11-23", "1 Jan 2025"])
def test_a_past_day_has_passed(words: str) -> None:
    with pytest.raises(GrammarError) as info:
        resolve_date(DateWords(words), tz="Europe/London", now=NOW, example="schedule 10 Dec 14:00")
    assert "already passed" in info.value.message and "two years" not in info.value.message


def test_today_in_the_speakers_zone_has_not_passed() -> None:
    late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # already the 25th in Tokyo
    assert resolve_date(DateWords("2026-11-25"), tz="Asia/Tokyo", now=late, example="x") == date(
        2026, 11, 25
    )
    with pytest.raises(GrammarError, match="already passed"):
        resolve_date(DateWords("2026-11-24"), tz="Asia/Tokyo", now=late, example="x")


def test_far_ahead_is_still_too_far() -> None:
    with pytest.raises(GrammarError, match="more than two years away"):
        resolve_date(DateWords("2030-01-01"), tz="UTC", now=NOW, example="x")


async def test_scheduling_a_past_date_says_it_has_passed(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "fay", "schedule 2020-01-01 10:00")
    (answer,) = private_to(outcome, "fay")
    assert is_error(outcome) and "01 Jan 2020, which has already passed" in answer
    assert store.committed == before


async def test_away_until_a_past_date_changes_nothing(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "fay", "settings nudges off away until 2026-11-01")
    assert is_error(outcome) and "already passed" in private_to(outcome, "fay")[0]
    assert store.committed == before  # `nudges off` is not kept either

"""Working time: hours on working days in the person's zone; a night shift belongs to the
day it starts on (Monday 22:00-06:00 runs to Tuesday 06:00)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.working_time import crosses_midnight, is_working_time

NIGHTS = (time(22), time(6))
MONDAY, FRIDAY = (0,), (4,)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC instant in the week of Monday 2 Nov 2026 (London is on GMT then, UTC+0)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "days", "working"),
    [
        (utc(2, 22), MONDAY, True),  # Monday's shift starts
        (utc(2, 23, 59), MONDAY, True),
        (utc(3, 0), MONDAY, True),  # past midnight, still Monday's shift
        (utc(3, 5, 59), MONDAY, True),
        (utc(3, 6), MONDAY, False),  # Monday's shift has ended
        (utc(3, 22, 30), MONDAY, False),  # Tuesday night: no shift starts on Tuesday
        (utc(2, 5), MONDAY, False),  # early Monday belongs to Sunday's (absent) shift
        (utc(1, 23), MONDAY, False),  # Sunday night
        (utc(2, 12), MONDAY, False),  # Monday midday: off between shifts
        (utc(7, 3), FRIDAY, True),  # Saturday 03:00 is still Friday's shift
        (utc(6, 3), FRIDAY, False),  # Friday 03:00 is Thursday's shift
        (utc(8, 23), (6,), True),  # Sunday's shift: Sunday night
        (utc(9, 5), (6,), True),  # ... into Monday, across the week's end
    ],
)
def test_a_night_shift_belongs_to_the_day_it_starts(
    at: datetime, days: tuple[int], working: bool
) -> None:
    assert is_working_time(at, tz="Europe/London", hours=NIGHTS, days=days) is working


def test_hours_are_read_in_the_persons_zone() -> None:
    # 22:00 in Singapore (UTC+8) on Monday is 14:00 UTC Monday
    assert is_working_time(utc(2, 14), tz="Asia/Singapore", hours=NIGHTS, days=MONDAY)
    assert not is_working_time(utc(2, 14), tz="Europe/London", hours=NIGHTS, days=MONDAY)


def test_day_hours_and_the_defaults() -> None:
    assert is_working_time(utc(2, 9), tz="UTC")  # Monday 09:00: defaults 09:00-17:00 mon-fri
    assert not is_working_time(utc(2, 17), tz="UTC")
    assert not is_working_time(utc(7, 10), tz="UTC")  # Saturday
    assert is_working_time(utc(7, 10), tz="UTC", days=(5,))
    assert not is_working_time(utc(2, 8, 59), tz="UTC", hours=(time(9), time(17, 30)))


def test_a_shift_keeps_its_clock_hours_across_a_clock_change() -> None:
    # London springs forward on Sun 28 Mar 2027; Saturday's 22:00-06:00 shift ends at 06:00 BST
    sunday_0459_utc = datetime(2027, 3, 28, 4, 59, tzinfo=UTC)  # 05:59 BST
    sunday_0500_utc = datetime(2027, 3, 28, 5, 0, tzinfo=UTC)  # 06:00 BST
    saturday = (5,)
    assert is_working_time(sunday_0459_utc, tz="Europe/London", hours=NIGHTS, days=saturday)
    assert not is_working_time(sunday_0500_utc, tz="Europe/London", hours=NIGHTS, days=saturday)


def test_which_hours_cross_midnight() -> None:
    assert crosses_midnight(NIGHTS)
    assert crosses_midnight((time(18), time(0)))  # to midnight: ends on the next day
    assert not crosses_midnight((time(9), time(17)))

"""When a person is at work: their working hours on their working days, in their zone.

Working hours may cross midnight (`22:00-06:00`, a night shift on a ward). A shift
belongs to the day it starts on: with `days mon` and `hours 22:00-06:00`, Monday's
shift runs from Monday 22:00 to Tuesday 06:00, and Sunday night is free. Times are
read on the local wall clock, so a shift keeps its clock hours across daylight-saving
changes.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

DEFAULT_HOURS = (time(9), time(17))
DEFAULT_DAYS = (0, 1, 2, 3, 4)
"""Monday to Friday (Monday is 0), as `settings` shows when nothing is set."""


def crosses_midnight(hours: tuple[time, time]) -> bool:
    start, end = hours
    return end <= start


def is_working_time(
    at: datetime,
    *,
    tz: str,
    hours: tuple[time, time] | None = None,
    days: tuple[int, ...] | None = None,
) -> bool:
    """Whether the aware instant `at` falls in a shift (`hours`, starting on one of `days`)."""
    start, end = hours or DEFAULT_HOURS
    workdays = days or DEFAULT_DAYS
    local = at.astimezone(ZoneInfo(tz))
    clock, today = local.time().replace(tzinfo=None), local.weekday()
    if not crosses_midnight((start, end)):
        return today in workdays and start <= clock < end
    started_today = today in workdays and clock >= start
    started_yesterday = (today - 1) % 7 in workdays and clock < end
    return started_today or started_yesterday

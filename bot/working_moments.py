"""The first moment someone is at work, within a window: for invitations that should
arrive in working hours (`bot.working_time` says whether one instant is).

Shifts are found on the local wall clock, day by day, so they keep their clock hours
across daylight-saving changes; a shift start that falls in the hour skipped when
clocks go forward is read with the offset before the change (zoneinfo's `fold=0`),
which lands it just after the gap.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.working_time import DEFAULT_DAYS, DEFAULT_HOURS, crosses_midnight


def first_working_moment(
    after: datetime,
    before: datetime,
    *,
    tz: str,
    hours: tuple[time, time] | None = None,
    days: tuple[int, ...] | None = None,
) -> datetime | None:
    """The earliest instant in [`after`, `before`) inside a shift, or None."""
    if before <= after:
        return None
    zone = ZoneInfo(tz)
    day = after.astimezone(zone).date() - timedelta(days=1)  # yesterday's shift may run on
    last = before.astimezone(zone).date()
    while day <= last:
        for start, end in _shifts(day, zone, hours or DEFAULT_HOURS, days or DEFAULT_DAYS):
            moment = max(start, after)
            if moment < end and moment < before:
                return moment
        day += timedelta(days=1)
    return None


def _shifts(
    day: date, zone: ZoneInfo, hours: tuple[time, time], days: tuple[int, ...]
) -> list[tuple[datetime, datetime]]:
    if day.weekday() not in days:
        return []
    start, end = hours
    end_day = day + timedelta(days=1) if crosses_midnight(hours) else day
    begins = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)
    return [(begins, ends)]


def shift_start(day: date, *, tz: str, hours: tuple[time, time] | None = None) -> datetime:
    """When the shift of `day` (a working day) begins, in UTC; read like `first_working_moment`'s
    shifts, so a start in the hour skipped in spring lands just after the gap."""
    start, _ = hours or DEFAULT_HOURS
    return datetime.combine(day, start, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def next_shift_start(
    after: datetime,
    *,
    tz: str,
    hours: tuple[time, time] | None = None,
    days: tuple[int, ...] | None = None,
) -> datetime:
    """The start of the first (non-empty) shift that begins strictly after `after`.

    Raises ValueError when none begins within two weeks (no valid working day in `days`).
    """
    zone = ZoneInfo(tz)
    day = after.astimezone(zone).date()
    for _ in range(15):
        for start, end in _shifts(day, zone, hours or DEFAULT_HOURS, days or DEFAULT_DAYS):
            if after < start < end:
                return start
        day += timedelta(days=1)
    raise ValueError(f"no shift begins within two weeks on days {days}")

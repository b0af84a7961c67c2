"""Meeting times: wall-clock times in a zone, turned into UTC instants.

Rules (also in `help schedule` and the README):
- A series keeps its local wall time across daylight-saving changes: each
  occurrence is computed as a local date and time first, then converted to UTC.
- A local time that does not exist (the spring-forward gap) moves forward by the
  gap: 01:30 on the night London skips 01:00–02:00 becomes 02:30 BST. This is what
  `fold=0` gives for a gap time: the offset in force before the change.
- A local time that occurs twice (the fall-back hour) means the first occurrence
  (`fold=0`, still summer time).
- A series without a count is bounded: `DEFAULT_COUNT` meetings or `DEFAULT_SPAN`,
  whichever ends first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_COUNT = 12
DEFAULT_SPAN = timedelta(days=183)


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    """Aware UTC."""
    note: str | None = None
    """Set when the local time was skipped or repeated, saying what was chosen."""


def local_to_utc(day: date, at: time, tz: str) -> Occurrence:
    zone = ZoneInfo(tz)
    wall = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    instant = wall.astimezone(UTC)
    shown = instant.astimezone(zone)
    if shown.replace(tzinfo=None) != wall.replace(tzinfo=None):
        note = (
            f"{at:%H:%M} does not exist on {day:%d %b %Y} in {tz} (the clocks go forward); "
            f"the meeting is at {shown:%H:%M} instead."
        )
        return Occurrence(instant, note)
    if wall.replace(fold=1).utcoffset() != wall.utcoffset():
        note = (
            f"{at:%H:%M} happens twice on {day:%d %b %Y} in {tz} (the clocks go back); "
            f"the meeting is at the first ({shown:%H:%M} {shown.tzname()})."
        )
        return Occurrence(instant, note)
    return Occurrence(instant)


def series(
    *, now: datetime, every_weeks: int, weekday: int, at: time, tz: str, count: int | None
) -> list[Occurrence]:
    """Occurrences of `every N weeks on DAY at HH:MM`, the first after `now`."""
    local_today = now.astimezone(ZoneInfo(tz)).date()
    day = local_today + timedelta(days=(weekday - local_today.weekday()) % 7)
    if local_to_utc(day, at, tz).starts_at <= now:
        day += timedelta(weeks=1)
    limit = count or DEFAULT_COUNT
    end = None if count else now + DEFAULT_SPAN
    found: list[Occurrence] = []
    while len(found) < limit:
        occurrence = local_to_utc(day, at, tz)
        if end is not None and occurrence.starts_at > end:
            break
        found.append(occurrence)
        day += timedelta(weeks=every_weeks)
    return found

"""`schedule` in its four forms, and `bid`."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import Bid, CancelMeeting, Command, ListSchedule, ScheduleOnce, ScheduleSeries
from bot.errors import GrammarError
from bot.parsing.dates import check_date
from bot.parsing.words import (
    clock,
    duration,
    free_text,
    looks_like_clock,
    looks_like_duration,
    weekday,
    whole_number,
    zone,
)

SERIES_EXAMPLE = "schedule every 2 weeks on Tuesday at 14:00 Europe/London for 8 meetings"
ONCE_EXAMPLE = "schedule 2026-12-10 14:00 Europe/London"
MAX_SERIES = 26
MAX_BID = timedelta(hours=2)


def parse_schedule(args: list[str]) -> Command:
    if not args:
        return ListSchedule()
    first = args[0].lower()
    if first == "cancel":
        return _cancel(args[1:])
    if first == "every":
        return _series(args[1:])
    return _once(args)


def _cancel(args: list[str]) -> Command:
    example = "schedule cancel 2"
    if len(args) != 1:
        raise GrammarError("Say which meeting, by its number in `schedule`.", example=example)
    return CancelMeeting(
        whole_number(args[0], "The meeting number", low=1, high=999, example=example)
    )


def _series(args: list[str]) -> Command:
    """every N weeks on DAY at HH:MM [TZ] [for N meetings]; `every week` means N = 1."""
    ex = SERIES_EXAMPLE
    words = [a.lower() for a in args]
    if words[:1] == ["week"]:
        words, args = ["1", *words], ["1", *args]
    if len(words) < 6 or words[1] not in ("week", "weeks") or words[2] != "on" or words[4] != "at":
        raise GrammarError(
            "A series reads: every N weeks on DAY at HH:MM, then optionally a time zone "
            "and `for N meetings`.",
            example=ex,
        )
    every = whole_number(args[0], "The number of weeks", low=1, high=8, example=ex)
    day, at = weekday(args[3], example=ex), clock(args[5], example=ex)
    rest, tz, count = args[6:], None, None
    if rest and rest[0].lower() != "for":
        tz, rest = zone(rest[0], example=ex), rest[1:]
    if rest:
        if (
            len(rest) != 3
            or rest[0].lower() != "for"
            or rest[2].lower() not in ("meeting", "meetings")
        ):
            raise GrammarError("End a series with `for N meetings`.", example=ex)
        count = whole_number(rest[1], "The number of meetings", low=1, high=MAX_SERIES, example=ex)
    return ScheduleSeries(every, day, at, tz, count)


def _once(args: list[str]) -> Command:
    ex = ONCE_EXAMPLE
    clocks = [i for i, a in enumerate(args) if looks_like_clock(a)]
    if not clocks:
        raise GrammarError(
            "Say the day and the time (HH:MM), or `every N weeks on DAY at HH:MM`.", example=ex
        )
    at_index = clocks[-1]
    day_words = [w for w in args[:at_index] if w.lower() not in ("on", "at")]
    day = check_date(day_words, example=ex)
    at = clock(args[at_index], example=ex)
    rest = args[at_index + 1 :]
    if len(rest) > 1:
        raise GrammarError("After the time, only a time zone may follow.", example=ex)
    return ScheduleOnce(day, at, zone(rest[0], example=ex) if rest else None)


def parse_bid(args: list[str]) -> Command:
    """`bid [Nm] [note]`: a first word meant as a duration must be a good one, never a note
    (a note would silently replace the member's real bid)."""
    example: str | None = None
    minutes = None
    if args and looks_like_duration(args[0]):
        length = duration(args[0], example=example)
        if length > MAX_BID:
            raise GrammarError("A bid can ask for at most 120 minutes.", example=example)
        minutes, args = int(length.total_seconds() // 60), args[1:]
    return Bid(minutes, free_text(args, "bid"))

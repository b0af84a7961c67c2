"""When a member is nudged about a committed action: decided here, sent elsewhere (issue 12).

Pure: instants in and out are aware UTC datetimes; the member's working time is read on
their local wall clock (`bot.working_time`, where a night shift belongs to the day it starts).

The rules, per action (`plan_nudges`):

- **midpoint**: halfway between commitment and due instant, moved to the first working
  moment at or after it;
- **before due**: the start of the shift on the working day two working days before the
  due instant's local date (for an action without a date, the due instant is the next
  meeting's start: the caller passes it either way);
- **overdue**: the "working morning after" it falls overdue, i.e. the start of the first
  shift that begins after the due instant (for a night worker, the start of their shift).

Then, in this order:

1. `nudges off`: nothing at all.
2. Past at planning time: a midpoint or before-due instant (once in working time) earlier
   than `now` is skipped (stale reminders help nobody); an overdue one is sent late, at the
   first working moment at or after `now` — the member still needs to know. A before-due
   instant earlier than the commitment is skipped too (the action was short).
3. Away until DATE (`away_until`, the start of that local date): whatever falls before it
   moves to the first working moment at or after it.
4. A midpoint or before-due reminder that ends up at or after the due instant is dropped
   (the overdue nudge speaks then), and a midpoint not strictly before the before-due
   reminder is dropped (it would say less, later). What is left is at most one nudge per
   working day, in time order midpoint, before due, overdue.

Across a member's actions, `combine_per_day` makes at most one message per **working day**:
the date a shift starts on, so a night worker's shift counts as one day (for day workers this
is the local calendar date). The message goes at the first instant of that day.

`snoozed` gives the instant a snoozed nudge moves to (1 day or 1 week later on the wall
clock, then into working time and out of any away period); the due date does not move.

Daylight saving: every instant returned is a real UTC instant, so it is never at a local time
that does not exist; a shift start in the hour skipped in spring lands just after the gap
(`bot.working_moments`), and one in the repeated autumn hour is its first occurrence. With
at most one nudge per working day, none is sent twice in a repeated hour.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from bot.working_moments import first_working_moment, next_shift_start, shift_start
from bot.working_time import DEFAULT_DAYS, DEFAULT_HOURS, crosses_midnight, is_working_time

_HORIZON = timedelta(days=15)
"""Every week has a working day, so a working moment is never further than this away."""

K = TypeVar("K")


class NudgeKind(Enum):
    MIDPOINT = "midpoint"
    BEFORE_DUE = "before_due"
    OVERDUE = "overdue"
    SNOOZED = "snoozed"
    """Asked for by the member (`snoozed`); never planned by `plan_nudges`."""


class Snooze(Enum):
    DAY = timedelta(days=1)
    WEEK = timedelta(days=7)


@dataclass(frozen=True)
class WorkingTime:
    """A member's zone, working hours (`end <= start` crosses midnight) and days (Monday 0)."""

    tz: str
    hours: tuple[time, time] = DEFAULT_HOURS
    days: tuple[int, ...] = DEFAULT_DAYS

    def __post_init__(self) -> None:
        ZoneInfo(self.tz)  # fail fast on an unknown zone
        if not self.days or any(d not in range(7) for d in self.days):
            raise ValueError(f"working days must be weekdays 0-6, got {self.days}")

    @classmethod
    def of(
        cls, tz: str, hours: tuple[time, time] | None = None, days: tuple[int, ...] | None = None
    ) -> WorkingTime:
        """From a member's settings, where None means the default."""
        return cls(tz, hours or DEFAULT_HOURS, days or DEFAULT_DAYS)

    def contains(self, at: datetime) -> bool:
        return is_working_time(at, tz=self.tz, hours=self.hours, days=self.days)

    def next_moment(self, at: datetime) -> datetime:
        """The first working moment at or after `at`."""
        moment = first_working_moment(
            at, at + _HORIZON, tz=self.tz, hours=self.hours, days=self.days
        )
        if moment is None:  # only with hours that vanish in a DST gap every working day
            raise ValueError(f"no working time within {_HORIZON} of {at}")
        return moment.astimezone(UTC)

    def next_start(self, after: datetime) -> datetime:
        """The start of the first shift beginning strictly after `after`."""
        return next_shift_start(after, tz=self.tz, hours=self.hours, days=self.days)

    def working_day(self, at: datetime) -> date:
        """The date of the shift `at` belongs to: a night shift's small hours count for the
        day before. Outside working time, the local date."""
        start, end = self.hours
        local = at.astimezone(ZoneInfo(self.tz))
        clock, today = local.time().replace(tzinfo=None), local.date()
        started_today = today.weekday() in self.days and clock >= start
        yesterday = today - timedelta(days=1)
        if crosses_midnight(self.hours) and not started_today and clock < end:
            return yesterday if yesterday.weekday() in self.days else today
        return today


@dataclass(frozen=True)
class Nudge:
    kind: NudgeKind
    at: datetime


@dataclass(frozen=True)
class DailySend(Generic[K]):
    """One message to a member: every nudge of one working day, sent at the first of them."""

    day: date
    at: datetime
    nudges: tuple[tuple[K, Nudge], ...]


def plan_nudges(
    committed_at: datetime,
    due_at: datetime,
    now: datetime,
    working_time: WorkingTime,
    *,
    away_until: datetime | None = None,
    nudges_on: bool = True,
) -> list[Nudge]:
    """The nudges for one action, in time order, by the rules in the module docstring."""
    if not nudges_on:
        return []
    wt = working_time
    midpoint = wt.next_moment(committed_at + (due_at - committed_at) / 2)
    before = _two_working_days_before(due_at, wt)
    candidates = {
        NudgeKind.MIDPOINT: midpoint if midpoint >= now else None,
        NudgeKind.BEFORE_DUE: before if before >= max(now, committed_at) else None,
        NudgeKind.OVERDUE: wt.next_moment(max(wt.next_start(due_at), now)),  # late, not lost
    }
    planned = [
        Nudge(kind, _away(at, away_until, wt))
        for kind, at in candidates.items()
        if at is not None  # None: a reminder skipped as past
    ]
    return _tidy(planned, due_at)


def combine_per_day(
    nudges: Iterable[tuple[K, Nudge]], working_time: WorkingTime
) -> list[DailySend[K]]:
    """One send per working day for one member's (action, nudge) pairs, in time order."""
    by_day: dict[date, list[tuple[K, Nudge]]] = {}
    for pair in sorted(nudges, key=lambda pair: pair[1].at):
        by_day.setdefault(working_time.working_day(pair[1].at), []).append(pair)
    return [
        DailySend(day=day, at=pairs[0][1].at, nudges=tuple(pairs))
        for day, pairs in sorted(by_day.items())
    ]


def snoozed(
    pressed_at: datetime,
    snooze: Snooze,
    working_time: WorkingTime,
    *,
    away_until: datetime | None = None,
) -> datetime:
    """Where the next nudge moves when snoozed at `pressed_at`: the same wall-clock time a
    day or a week later, then the first working moment from there, and not while away."""
    zone = ZoneInfo(working_time.tz)
    local = pressed_at.astimezone(zone).replace(tzinfo=None, fold=0)
    later = (local + snooze.value).replace(tzinfo=zone)  # a gap time reads as just after it
    at = working_time.next_moment(later)
    return _away(at, away_until, working_time)


def _two_working_days_before(due_at: datetime, wt: WorkingTime) -> datetime:
    day, found = due_at.astimezone(ZoneInfo(wt.tz)).date(), 0
    while found < 2:
        day -= timedelta(days=1)
        found += day.weekday() in wt.days
    return wt.next_moment(shift_start(day, tz=wt.tz, hours=wt.hours))


def _away(at: datetime, away_until: datetime | None, wt: WorkingTime) -> datetime:
    if away_until is None or at >= away_until:
        return at
    return wt.next_moment(away_until)


def _tidy(planned: list[Nudge], due_at: datetime) -> list[Nudge]:
    reminders = [n for n in planned if n.kind is NudgeKind.OVERDUE or n.at < due_at]
    before = [n.at for n in reminders if n.kind is NudgeKind.BEFORE_DUE]
    return [
        n for n in reminders if not (n.kind is NudgeKind.MIDPOINT and before and n.at >= before[0])
    ]

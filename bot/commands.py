"""Typed commands the grammar produces; one frozen dataclass per verb (or verb form).

Dates are carried unresolved (`DateWords`): `parse` is pure and does not know the
speaker's time zone or the current instant, so use cases resolve them
(`bot.parsing.dates.resolve_date`). The grammar has already checked that they read
as a real date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Literal

from bot.model import Role


@dataclass(frozen=True)
class DateWords:
    """A date as typed ("next Friday", "10 Dec", "2026-12-10"), checked but unresolved."""

    text: str


# --- the skeleton's verbs ---------------------------------------------------------------


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class CreateSet:
    name: str | None = None


@dataclass(frozen=True)
class JoinSet:
    pass


@dataclass(frozen=True)
class LeaveSet:
    pass


@dataclass(frozen=True)
class ListMembers:
    pass


# --- agreement and roster ---------------------------------------------------------------


@dataclass(frozen=True)
class Agree:
    pass


@dataclass(frozen=True)
class ShowAgreement:
    pass


@dataclass(frozen=True)
class SetAgreement:
    text: str


@dataclass(frozen=True)
class AddMembers:
    user_ids: tuple[str, ...]
    role: Role = Role.MEMBER


@dataclass(frozen=True)
class RemoveMember:
    user_id: str


@dataclass(frozen=True)
class InviteGuest:
    user_id: str


@dataclass(frozen=True)
class LinkSponsor:
    user_id: str


# --- challenges and goals ---------------------------------------------------------------


@dataclass(frozen=True)
class SetChallenge:
    text: str | None = None
    """None: open a form."""


@dataclass(frozen=True)
class SetGoal:
    text: str | None = None
    """None: open a form."""


# --- meetings, bids ---------------------------------------------------------------------


@dataclass(frozen=True)
class ListSchedule:
    pass


@dataclass(frozen=True)
class ScheduleOnce:
    day: DateWords
    at: time
    tz: str | None = None


@dataclass(frozen=True)
class ScheduleSeries:
    every_weeks: int
    weekday: int
    """Monday is 0."""
    at: time
    tz: str | None = None
    count: int | None = None
    """None: the default bound (see `bot.schedules`)."""


@dataclass(frozen=True)
class CancelMeeting:
    number: int
    """As listed by `schedule`, from 1."""


@dataclass(frozen=True)
class Bid:
    minutes: int | None = None
    note: str | None = None


# --- preferences and set options --------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    tz: str | None = None
    hours: tuple[time, time] | None = None
    days: tuple[int, ...] | None = None
    language: str | None = None
    nudges: bool | None = None
    coaching: bool | None = None
    away_until: DateWords | None = None

    @property
    def is_query(self) -> bool:
        return self == Settings()


@dataclass(frozen=True)
class Options:
    format: Literal["own", "shared"] | None = None
    live: tuple[int, int, int, int, int] | None = None
    """Minutes for present/questions/reflect/commit/resonance."""
    checkin: int | Literal["off"] | None = None
    """A weekday (Monday 0) or "off"."""
    coaching: bool | None = None
    fishbowl: tuple[str, ...] | None = None
    language: str | None = None
    tz: str | None = None

    @property
    def is_query(self) -> bool:
        return self == Options()


@dataclass(frozen=True)
class CloseSet:
    pass


# --- parsed now, built by later issues (answered "coming soon") -------------------------


@dataclass(frozen=True)
class MeetingStart:
    pass


@dataclass(frozen=True)
class MeetingEnd:
    pass


@dataclass(frozen=True)
class RoundStart:
    presenter: str | None = None
    mode: Literal["live", "async"] | None = None
    length: timedelta | None = None


@dataclass(frozen=True)
class RoundSteer:
    action: Literal["next", "pause", "resume", "end"]


@dataclass(frozen=True)
class RoundExtend:
    by: timedelta


@dataclass(frozen=True)
class RoundStatus:
    pass


@dataclass(frozen=True)
class CommitAction:
    text: str
    by: DateWords | None = None


@dataclass(frozen=True)
class ListActions:
    scope: Literal["mine", "all", "member"] = "mine"
    user_id: str | None = None


@dataclass(frozen=True)
class UpdateAction:
    kind: Literal["done", "progress", "drop"]
    number: int
    note: str | None = None


@dataclass(frozen=True)
class ShareAction:
    number: int
    note: str | None = None


@dataclass(frozen=True)
class ShareMeeting:
    note: str | None = None


@dataclass(frozen=True)
class Report:
    pass


@dataclass(frozen=True)
class LogEntry:
    text: str


@dataclass(frozen=True)
class LogExport:
    pass


@dataclass(frozen=True)
class MyData:
    action: Literal["export", "erase"]


Command = (
    Help
    | CreateSet
    | JoinSet
    | LeaveSet
    | ListMembers
    | Agree
    | ShowAgreement
    | SetAgreement
    | AddMembers
    | RemoveMember
    | InviteGuest
    | LinkSponsor
    | SetChallenge
    | SetGoal
    | ListSchedule
    | ScheduleOnce
    | ScheduleSeries
    | CancelMeeting
    | Bid
    | Settings
    | Options
    | CloseSet
    | MeetingStart
    | MeetingEnd
    | RoundStart
    | RoundSteer
    | RoundExtend
    | RoundStatus
    | CommitAction
    | ListActions
    | UpdateAction
    | ShareAction
    | ShareMeeting
    | Report
    | LogEntry
    | LogExport
    | MyData
)

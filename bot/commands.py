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


class Command:
    """What a verb's parser produces and its handler takes: a frozen dataclass per verb
    (or verb form), subclassing this. Each command type is routed by exactly one verb
    record (`bot.verbs.Route`)."""


@dataclass(frozen=True)
class DateWords:
    """A date as typed ("next Friday", "10 Dec", "2026-12-10"), checked but unresolved."""

    text: str


# --- the skeleton's verbs ---------------------------------------------------------------


@dataclass(frozen=True)
class Help(Command):
    topic: str | None = None


@dataclass(frozen=True)
class CreateSet(Command):
    name: str | None = None


@dataclass(frozen=True)
class JoinSet(Command):
    pass


@dataclass(frozen=True)
class LeaveSet(Command):
    pass


@dataclass(frozen=True)
class ListMembers(Command):
    pass


# --- agreement and roster ---------------------------------------------------------------


@dataclass(frozen=True)
class Agree(Command):
    pass


@dataclass(frozen=True)
class ShowAgreement(Command):
    pass


@dataclass(frozen=True)
class SetAgreement(Command):
    text: str


@dataclass(frozen=True)
class AddMembers(Command):
    user_ids: tuple[str, ...]
    role: Role = Role.MEMBER


@dataclass(frozen=True)
class RemoveMember(Command):
    user_id: str


@dataclass(frozen=True)
class InviteGuest(Command):
    user_id: str


@dataclass(frozen=True)
class LinkSponsor(Command):
    user_id: str


@dataclass(frozen=True)
class UnlinkSponsor(Command):
    """`sponsor none`: the member ends their own sponsor link."""


@dataclass(frozen=True)
class DeclineSponsorship(Command):
    """`sponsor decline`: someone named as a sponsor says no (every link naming them)."""


# --- challenges and goals ---------------------------------------------------------------


@dataclass(frozen=True)
class SetChallenge(Command):
    text: str | None = None
    """None: open a form."""


@dataclass(frozen=True)
class SetGoal(Command):
    text: str | None = None
    """None: open a form."""


# --- meetings, bids ---------------------------------------------------------------------


@dataclass(frozen=True)
class ListSchedule(Command):
    pass


@dataclass(frozen=True)
class ScheduleOnce(Command):
    day: DateWords
    at: time
    tz: str | None = None


@dataclass(frozen=True)
class ScheduleSeries(Command):
    every_weeks: int
    weekday: int
    """Monday is 0."""
    at: time
    tz: str | None = None
    count: int | None = None
    """None: the default bound (see `bot.schedules`)."""


@dataclass(frozen=True)
class CancelMeeting(Command):
    number: int
    """As listed by `schedule`, from 1."""


@dataclass(frozen=True)
class Bid(Command):
    minutes: int | None = None
    note: str | None = None


# --- preferences and set options --------------------------------------------------------


@dataclass(frozen=True)
class Settings(Command):
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
class ShowOptions(Command):
    """`options` with no words: reading them is not changing them."""


@dataclass(frozen=True)
class Options(Command):
    format: Literal["own", "shared"] | None = None
    live: tuple[int, int, int, int, int] | None = None
    """Minutes for present/questions/reflect/commit/resonance."""
    checkin: int | Literal["off"] | None = None
    """A weekday (Monday 0) or "off"."""
    coaching: bool | None = None
    fishbowl: tuple[str, ...] | None = None
    language: str | None = None
    tz: str | None = None


@dataclass(frozen=True)
class CloseSet(Command):
    pass


# --- meetings, rounds, actions, sharing, reports, logs and data (built next) --------------


@dataclass(frozen=True)
class MeetingStart(Command):
    pass


@dataclass(frozen=True)
class MeetingEnd(Command):
    pass


@dataclass(frozen=True)
class RoundStart(Command):
    presenter: str | None = None
    mode: Literal["live", "async"] | None = None
    length: timedelta | None = None


@dataclass(frozen=True)
class RoundSteer(Command):
    action: Literal["next", "pause", "resume", "end"]


@dataclass(frozen=True)
class RoundExtend(Command):
    by: timedelta


@dataclass(frozen=True)
class RoundStatus(Command):
    pass


@dataclass(frozen=True)
class CommitAction(Command):
    text: str
    by: DateWords | None = None


@dataclass(frozen=True)
class ListActions(Command):
    scope: Literal["mine", "all", "member"] = "mine"
    user_id: str | None = None


@dataclass(frozen=True)
class MarkDone(Command):
    number: int
    note: str | None = None


@dataclass(frozen=True)
class NoteProgress(Command):
    number: int
    note: str


@dataclass(frozen=True)
class DropAction(Command):
    number: int
    reason: str | None = None


@dataclass(frozen=True)
class ShareAction(Command):
    number: int
    note: str | None = None


@dataclass(frozen=True)
class ShareMeeting(Command):
    note: str | None = None


@dataclass(frozen=True)
class Report(Command):
    pass


@dataclass(frozen=True)
class ReportOn(Command):
    """`report N done|partly|not done [what happened]`: a member's report-back on an action."""

    number: int
    outcome: Literal["done", "partly", "not done"]
    happened: str | None = None


@dataclass(frozen=True)
class ReportHeldBack(Command):
    """`report N held time|authority|politics|risk|priorities|other [in my words]`."""

    number: int
    reason: Literal["time", "authority", "politics", "risk", "priorities", "other"]
    note: str | None = None


@dataclass(frozen=True)
class LogEntry(Command):
    text: str


@dataclass(frozen=True)
class FishbowlNote(Command):
    """`note TEXT`: from a fishbowl's outer ring, held until resonance."""

    text: str


@dataclass(frozen=True)
class LogExport(Command):
    pass


@dataclass(frozen=True)
class CheckinAnswer(Command):
    """`checkin steps TEXT` / `checkin next TEXT`: one answer to the weekly check-in."""

    question: Literal["steps", "next"]
    text: str


@dataclass(frozen=True)
class ShowCheckin(Command):
    """`checkin`: the weekly check-in's two questions, and how to answer them."""


@dataclass(frozen=True)
class MyData(Command):
    action: Literal["export", "erase", "erase confirm"]

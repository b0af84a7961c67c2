"""Records of a set's life outside the rounds: agreement and options, challenges and
goals, sponsors, guests, meetings, bids, and each person's settings.

Texts here (agreement, challenges, goals, bid notes) are set content: they never
leave the set (no logs, no metrics, no due-work rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal

RETENTION = timedelta(days=90)
"""How long a closed set's records are kept before they may be purged."""

DEFAULT_AGREEMENT = (
    "Confidentiality: what is said in the set stays in the set, unless its author "
    "chooses to share it.",
    "Questions before advice: we ask open questions and hold back advice, leading "
    "questions and our own stories.",
    "Attendance: we come to every meeting we can, and say so in advance when we can't.",
)

StatementKind = Literal["challenge", "goal"]


@dataclass(frozen=True)
class Statement:
    """One revision of a member's challenge or development goal (or, with no owner,
    the set's shared challenge). Revisions are never overwritten."""

    set_id: str
    owner_id: str | None
    kind: StatementKind
    revision: int
    text: str
    written_at: datetime
    written_by: str


@dataclass
class Meeting:
    id: str
    set_id: str
    starts_at: datetime
    created_at: datetime
    series_id: str | None = None
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class GuestInvitation:
    """A guest sees one meeting: this one, and nothing else of the set."""

    set_id: str
    user_id: str
    meeting_id: str
    invited_by: str
    invited_at: datetime


@dataclass(frozen=True)
class SponsorLink:
    """A member's sponsor; never a member of the set and never shown set content."""

    set_id: str
    member_id: str
    sponsor_id: str
    linked_at: datetime


@dataclass(frozen=True)
class AirtimeBid:
    set_id: str
    meeting_id: str
    user_id: str
    bid_at: datetime
    minutes: int | None = None
    note: str | None = None


@dataclass
class PersonSettings:
    """A person's preferences across sets (their time zone lives on `Person.tz`)."""

    user_id: str
    hours: tuple[time, time] | None = None
    days: tuple[int, ...] | None = None
    language: str | None = None
    nudges: bool = True
    coaching: bool = True
    away_until: datetime | None = None


@dataclass
class SetOptions:
    set_id: str
    agreement: str | None = None
    """None: the default agreement."""
    format: Literal["own", "shared"] = "own"
    live: tuple[int, int, int, int, int] | None = None
    checkin: int | Literal["off"] | None = None
    """None: check-in opens each meeting; a weekday (Monday 0): a check-in that day; off."""
    coaching: bool = True
    fishbowl: tuple[str, ...] = ()
    language: str | None = None

    def agreement_lines(self) -> tuple[str, ...]:
        return (self.agreement,) if self.agreement else DEFAULT_AGREEMENT

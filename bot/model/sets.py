"""A set and the place it lives in: its status, options and agreement.

Ids are opaque strings chosen by the adapters (e.g. a Slack adapter may use
"slack:T1:C2" for a channel); the core never looks inside them. The agreement's
text is set content: it never leaves the set (no logs, no metrics, no due work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

DEFAULT_TZ = "UTC"

RETENTION = timedelta(days=90)
"""How long a closed set's records are kept before they may be purged."""

DEFAULT_AGREEMENT = (
    "Confidentiality: what is said in the set stays in the set, unless its author "
    "chooses to share it.",
    "Questions before advice: we ask open questions and hold back advice, leading "
    "questions and our own stories.",
    "Attendance: we come to every meeting we can, and say so in advance when we can't.",
)


class PlaceKind(StrEnum):
    CHANNEL = "channel"
    GROUP = "group"
    """A conversation without threads (a Teams group chat): while a round runs, the whole
    chat is its space. Conversations with threads (Slack's private channels and group
    DMs too) are channels."""
    PERSONAL = "personal"
    """A 1:1 chat with the bot."""


class SetStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Place:
    id: str
    kind: PlaceKind
    platform: str


@dataclass
class LearningSet:
    id: str
    place_id: str
    platform: str
    name: str
    created_by: str
    created_at: datetime
    tz: str = DEFAULT_TZ
    status: SetStatus = SetStatus.OPEN
    closed_at: datetime | None = None
    """When `close` made the set read-only; its retention period runs from here."""


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

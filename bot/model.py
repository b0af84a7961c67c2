"""The domain model: sets, people and their memberships.

Ids are opaque strings chosen by the adapters (e.g. a Slack adapter may use
"slack:T1:C2" for a channel); the core never looks inside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

DEFAULT_TZ = "UTC"


class PlaceKind(StrEnum):
    CHANNEL = "channel"
    GROUP = "group"
    """A group chat (Teams) or private multi-person conversation."""
    PERSONAL = "personal"
    """A 1:1 chat with the bot."""


class Role(StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    GUEST = "guest"


class SetStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Place:
    id: str
    kind: PlaceKind
    platform: str


@dataclass(frozen=True)
class Actor:
    """Whoever is speaking, as the adapter knows them."""

    user_id: str
    display_name: str
    platform_tz: str | None = None
    """Time zone from the platform profile, if the adapter knows it."""


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
class Person:
    """A user as Revans remembers them, across sets."""

    user_id: str
    display_name: str
    platform_tz: str | None = None
    tz: str | None = None
    """The member's own `settings tz`, which wins over everything else."""

    def zone(self, fallback: str) -> str:
        """Time zone precedence (DESIGN.md §3): own setting, platform profile, the set's."""
        return self.tz or self.platform_tz or fallback


@dataclass
class Membership:
    set_id: str
    user_id: str
    role: Role
    joined_at: datetime
    agreed_at: datetime | None = None
    left_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.left_at is None


@dataclass
class Contribution:
    """A member's message in a set's place (a question, a reflection, a report-back).

    Its text is set content: it never leaves the set (no logs, no metrics).
    """

    set_id: str
    place_id: str
    message_id: str
    author_id: str
    text: str
    posted_at: datetime
    thread_id: str | None = None
    edited_at: datetime | None = None

"""People as Revans knows them: the speaker of a turn, a remembered person, their
preferences across sets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time


@dataclass(frozen=True)
class Actor:
    """Whoever is speaking, as the adapter knows them."""

    user_id: str
    display_name: str
    platform_tz: str | None = None
    """Time zone from the platform profile, if the adapter knows it."""


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
class PersonSettings:
    """A person's preferences across sets (their time zone lives on `Person.tz`)."""

    user_id: str
    hours: tuple[time, time] | None = None
    days: tuple[int, ...] | None = None
    language: str | None = None
    nudges: bool = True
    coaching: bool = True
    away_until: datetime | None = None

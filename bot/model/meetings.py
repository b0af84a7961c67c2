"""Meetings, the guests invited to one of them, and bids for airtime.

A bid's note is set content: it never leaves the set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Meeting:
    id: str
    set_id: str
    starts_at: datetime
    created_at: datetime
    series_id: str | None = None
    cancelled_at: datetime | None = None


@dataclass
class HeldMeeting:
    """A meeting as it is held: opened (by `meeting start`, `round start`, or its planned
    time), its rounds, closed with a process review.

    `planned_id` links it to the planned `Meeting` it is (one starting near the moment it
    opened), whose bids make its agenda and whose guests take part. `agenda` is the
    presenters' user ids in the order they were offered airtime."""

    id: str
    set_id: str
    opened_at: datetime
    opened_by: str
    """A user id, or "" when its planned time opened it."""
    planned_id: str | None = None
    agenda: tuple[str, ...] = ()
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class GuestInvitation:
    """A guest sees one meeting: this one, and nothing else of the set."""

    set_id: str
    user_id: str
    meeting_id: str
    invited_by: str
    invited_at: datetime


@dataclass(frozen=True)
class AirtimeBid:
    set_id: str
    meeting_id: str
    user_id: str
    bid_at: datetime
    minutes: int | None = None
    note: str | None = None

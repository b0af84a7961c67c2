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

"""Committed actions: what a member said they would do before the next meeting.

An action has a number within its set (1, 2, … in the order committed), which members
use to name it (`done 2`). Its text, progress notes and closing note are set content:
stored, shown in the set's own places and to its owner, never logged and never put in
due-work rows. Status is `open` → `done` / `dropped`; overdue is derived from `due_at`,
not stored (DESIGN.md, "Action statuses").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True)
class ActionNote:
    """A progress note on an action (`progress N note`)."""

    text: str
    at: datetime


@dataclass
class Action:
    id: str
    set_id: str
    number: int
    """Unique within the set; what members call it by."""
    owner_id: str
    text: str
    created_at: datetime
    due_at: datetime | None = None
    status: ActionStatus = ActionStatus.OPEN
    meeting_id: str | None = None
    """The held meeting whose round it was committed in, if any."""
    round_id: str | None = None
    notes: list[ActionNote] = field(default_factory=list)
    """Progress notes, oldest first."""
    closed_at: datetime | None = None
    """When it was marked done or dropped."""
    closing_note: str | None = None
    """The done note or the drop reason, if one was given."""

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN

    def overdue(self, now: datetime) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < now

    def note_progress(self, text: str, at: datetime) -> None:
        self.notes.append(ActionNote(text, at))

    def close(self, status: ActionStatus, at: datetime, note: str | None) -> None:
        self.status, self.closed_at, self.closing_note = status, at, note

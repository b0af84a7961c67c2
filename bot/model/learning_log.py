"""The private learning log: what a member (or a facilitator, for accreditation) keeps
for themselves — their own entries and their answers to the weekly check-in.

Each entry is its author's alone: it is never shown in a set's place, to another
member or to a facilitator; only its author reads it (`log export`). `set_id` names the
set it was written for, or None when it was written in a 1:1 chat by someone in several
sets (or none). The text is set content: stored, never logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EntryKind(StrEnum):
    NOTE = "note"
    """`log TEXT`: a note of the author's own (a facilitator's reflection too)."""
    CHECKIN_STEPS = "checkin.steps"
    """The weekly check-in: what clear steps I took last week on my goal and actions."""
    CHECKIN_NEXT = "checkin.next"
    """The weekly check-in: what I will focus on next week."""


@dataclass(frozen=True)
class LearningLogEntry:
    id: str
    author_id: str
    kind: EntryKind
    text: str
    written_at: datetime
    set_id: str | None = None

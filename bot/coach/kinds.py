"""What the coach can say about an utterance."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    OPEN = "open"
    """Invites the presenter to think and answer in their own words."""
    CLOSED = "closed"
    """Answerable with yes/no, a number, a date or a name."""
    LEADING = "leading"
    """A suggestion or opinion dressed as a question."""
    ADVICE = "advice"
    """A recommendation stated outright."""
    OTHER = "other"
    """Thanks, agreement, logistics, feelings shared, or another language."""


COACHED = frozenset({Kind.CLOSED, Kind.LEADING, Kind.ADVICE})
"""The kinds the coach answers with an open reframing."""

PRIORITY = (Kind.ADVICE, Kind.LEADING, Kind.OPEN, Kind.CLOSED, Kind.OTHER)
"""A message of several sentences takes the first of these kinds that any sentence has:
advice and leading questions matter most for coaching, and a member who asks a good open
question is never told off for a closed one beside it."""


@dataclass(frozen=True)
class Assessment:
    text: str
    kind: Kind
    suggestion: str | None
    """An open question keeping the asker's intent, for coached kinds; else None."""

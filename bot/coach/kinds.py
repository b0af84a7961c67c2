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


THRESHOLD = 0.8
"""The coach coaches a reading only at or above this confidence and abstains below it.

Chosen on the training data only by `bench/coach_eval.py --choose-threshold`: each writer's
training utterances are read by a model trained on the other writers alone, and the
threshold is the highest that still coaches at least `RECALL_FLOOR` of their closed, leading
and advice utterances while flagging under 1% of their open questions. A member asking a
good question must never be told off: abstaining on a real closed question costs little.
`tests/unit/test_coach_confidence.py` checks the two agree."""
RECALL_FLOOR = 0.9


@dataclass(frozen=True)
class Assessment:
    text: str
    kind: Kind
    suggestion: str | None
    """An open question keeping the asker's intent, for coached kinds; else None."""
    confidence: float = 1.0
    """How sure the coach is of `kind` (0–1)."""

    @property
    def coaches(self) -> bool:
        """Whether the coach would say something: a coached kind, read surely enough."""
        return self.kind in COACHED and self.confidence >= THRESHOLD

"""Report-back: a member's private answer, at a meeting's check-in, on one of their actions.

Done, partly or not done; what happened and what they learned; and, for "not done",
what held them back ("learning inaction": one of a few categories and, if they like,
their own words). The answer is the member's own: shown to them alone. A facilitator
sees only counts of outcomes and categories across the set, and never a count under
`FEW` (`held_back_counts`), which could point at someone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ReportOutcome(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    NOT_DONE = "not done"


class HeldBack(StrEnum):
    """What held a member back from an action they did not take."""

    TIME = "time"
    AUTHORITY = "authority"
    POLITICS = "politics"
    RISK = "risk"
    PRIORITIES = "priorities"
    OTHER = "other"


HELD_BACK_LABELS: dict[HeldBack, str] = {
    HeldBack.TIME: "time",
    HeldBack.AUTHORITY: "authority",
    HeldBack.POLITICS: "organisational politics",
    HeldBack.RISK: "risk or fear",
    HeldBack.PRIORITIES: "priorities changed",
    HeldBack.OTHER: "other",
}

FEW = 3
"""A count below this is not shown to anyone but the person concerned."""


@dataclass
class ReportBack:
    """One member's report on one action at one meeting (`meeting_id` "" when none was open).

    (action, meeting) is unique: answering again replaces the answer, never adds one."""

    set_id: str
    action_id: str
    meeting_id: str
    member_id: str
    outcome: ReportOutcome
    answered_at: datetime
    happened: str | None = None
    learned: str | None = None
    held_back: HeldBack | None = None
    held_back_note: str | None = None


def suppressed_counts(labels: Iterable[str]) -> tuple[dict[str, int], int]:
    """Counts of each label shown to a facilitator: those of at least `FEW`, and how many
    answers fell in categories too small to show (their labels are not named)."""
    counts = Counter(labels)
    shown = {label: n for label, n in counts.items() if n >= FEW}
    return shown, sum(n for n in counts.values() if n < FEW)

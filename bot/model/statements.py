"""Challenges and development goals: every revision kept. Their texts are set content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

StatementKind = Literal["challenge", "goal"]


@dataclass(frozen=True)
class Statement:
    """One revision of a member's challenge or development goal (or, with no owner,
    the set's shared challenge). Revisions are never overwritten."""

    set_id: str
    owner_id: str | None
    kind: StatementKind
    revision: int
    text: str
    written_at: datetime
    written_by: str

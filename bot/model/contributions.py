"""What members write in a set's place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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

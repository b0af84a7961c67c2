"""Who took part in a round, as counts: never anyone's words.

Each message written in a round's space becomes a `RoundMessage`: ids, the phase it
was written in, its role and its length in words. In the questions phase a listener's
message is a question and the presenter's an answer; in the other phases it is a
contribution. Edits change the word count, deletions remove the record; the text
itself stays with the contribution (`bot.model.Contribution`) and leaves nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.model.rounds import Phase


class MessageRole(StrEnum):
    QUESTION = "question"
    ANSWER = "answer"
    CONTRIBUTION = "contribution"


def role_of(phase: Phase, *, by_presenter: bool) -> MessageRole:
    if phase is not Phase.QUESTIONS:
        return MessageRole.CONTRIBUTION
    return MessageRole.ANSWER if by_presenter else MessageRole.QUESTION


def word_count(text: str) -> int:
    return len(text.split())


@dataclass
class RoundMessage:
    round_id: str
    place_id: str
    message_id: str
    author_id: str
    phase: Phase
    role: MessageRole
    words: int
    posted_at: datetime


@dataclass(frozen=True)
class Participation:
    """One member's part in one round."""

    round_id: str
    user_id: str
    questions: int = 0
    answers: int = 0
    contributions: int = 0
    words: int = 0


def tally(messages: Iterable[RoundMessage]) -> list[Participation]:
    """Participation per round and member, from their messages (ordered by round, user)."""
    counts: dict[tuple[str, str], list[int]] = {}
    for m in messages:
        row = counts.setdefault((m.round_id, m.author_id), [0, 0, 0, 0])
        row[list(MessageRole).index(m.role)] += 1
        row[3] += m.words
    return [Participation(r, u, *row) for (r, u), row in sorted(counts.items())]

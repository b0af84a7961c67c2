"""The interface every language's rules offer the coach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.coach.kinds import Kind


@dataclass(frozen=True)
class Reading:
    """How one sentence reads: its kind, the rule that decided it, and the sentence
    (cleaned and spell-fixed, original case) so a reframing can reuse its words."""

    kind: Kind
    rule: str
    sentence: str
    confidence: float = 1.0
    """How sure the rules are of `kind`, 0–1: the rule's own certainty, less for signs
    of a guess (a typo put right, a match only after a comma, no question mark on a
    question, a long sentence). The coach abstains below `kinds.THRESHOLD`."""


class LanguageRules(Protocol):
    @property
    def code(self) -> str:
        """The language code the registry knows these rules by (e.g. "en")."""

    @property
    def fallback_question(self) -> str:
        """An open question that fits any coached utterance, used when no reframing does."""

    def recognises(self, text: str) -> bool:
        """Whether cleaned `text` is written in this language."""

    def read(self, sentence: str) -> Reading:
        """The kind of one cleaned sentence."""

    def weigh(self, text: str, reading: Reading) -> Reading:
        """The reading of cleaned `text`, revised by what the language has learned from
        labelled utterances (or unchanged, if it has learned nothing)."""

    def reframe(self, reading: Reading) -> str | None:
        """An open question keeping the intent of a coached reading, or None."""

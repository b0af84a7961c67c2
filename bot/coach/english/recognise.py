"""Is a text written in English? Script first, then common words against foreign ones."""

from __future__ import annotations

import re

from bot.coach.english.lexicon import COMMON_WORDS, FOREIGN_WORDS

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_LATIN_END = "\u0250"


def is_english(text: str) -> bool:
    if not text.isascii() and not _mostly_latin(text):
        return False
    words = _WORD.findall(text.lower())
    english = sum(word in COMMON_WORDS for word in words)
    foreign = sum(word in FOREIGN_WORDS for word in words)
    return foreign <= english and not (len(words) >= 4 and english == 0)


def _mostly_latin(text: str) -> bool:
    """Latin letters outnumber others, and no Spanish opening marks."""
    letters = [char for char in text if char.isalpha()]
    if any(mark in text for mark in "¿¡"):
        return False
    return not letters or sum(char < _LATIN_END for char in letters) >= len(letters) / 2

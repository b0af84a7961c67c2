"""Language-neutral clean-up: mentions, emoji and typographic quotes out; sentences apart."""

from __future__ import annotations

import re
import unicodedata

from bot.messages import MENTION_TOKEN

MAX_CHARS = 4000
"""Longer input is cut: a chat message is rarely longer, and the rules stay fast."""

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")
_SPACES = re.compile(r"\s+")


def is_symbol(char: str) -> bool:
    """Emoji, pictographs and other symbols carry no question form."""
    return unicodedata.category(char) in {"So", "Sk", "Cs", "Co"} or char in "\ufe0f\u200d"


def clean(text: str) -> str:
    text = MENTION_TOKEN.sub(" ", text[:MAX_CHARS]).translate(_QUOTES)
    if not text.isascii():
        text = "".join(" " if is_symbol(char) else char for char in text)
    return _SPACES.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """Sentences of cleaned text, each keeping its end punctuation."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]

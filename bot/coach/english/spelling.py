"""Common chat spellings and typos of the words the rules look for, put right.

Only words the rules depend on are corrected: chat shorthand ("u", "dont", "id") and a
swap of two neighbouring letters ("waht", "hwo", "shoudl") in a word that is not itself
common English.
"""

from __future__ import annotations

import re

from bot.coach.english.lexicon import COMMON_WORDS

SHORTHAND = {
    "u": "you", "ya": "you", "ur": "your", "r": "are", "abt": "about", "bc": "because",
    "dont": "don't", "didnt": "didn't", "doesnt": "doesn't", "wont": "won't",
    "wouldnt": "wouldn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "cant": "can't",
    "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "werent": "weren't",
    "havent": "haven't", "hasnt": "hasn't", "whats": "what's", "hows": "how's",
    "whys": "why's", "wheres": "where's", "whos": "who's", "thats": "that's", "im": "i'm",
    "ive": "i've", "id": "i'd", "youre": "you're", "youve": "you've", "youd": "you'd",
    "shoud": "should", "shd": "should", "shld": "should", "wd": "would", "cd": "could",
    "wud": "would", "cud": "could", "wat": "what", "wot": "what", "y": "why",
}  # fmt: skip

KEYWORDS = (
    "how",
    "what",
    "why",
    "who",
    "where",
    "when",
    "which",
    "have",
    "does",
    "did",
    "should",
    "would",
    "could",
    "you",
    "your",
    "think",
    "thought",
    "tried",
    "considered",
    "want",
    "about",
    "isn't",
    "don't",
)
"""Words the rules look for, in order of preference when a typo could be either."""

_WORD = re.compile(r"[A-Za-z']+")


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


TRANSPOSED = {typo: word for word in reversed(KEYWORDS) for typo in _swaps(word) if typo != word}
"""Each keyword with two neighbouring letters swapped; earlier keywords win ("hwo" → how)."""


def correct_word(word: str) -> str:
    lower = word.lower()
    fixed = SHORTHAND.get(lower)
    if fixed is None and lower not in COMMON_WORDS:
        fixed = TRANSPOSED.get(lower)
    if fixed is None:
        return word
    return fixed.capitalize() if word[:1].isupper() and lower != "i" else fixed


def correct_spelling(sentence: str) -> str:
    return _WORD.sub(lambda match: correct_word(match.group()), sentence)

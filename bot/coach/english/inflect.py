"""Just enough English inflection to turn "speak to the union" into "speaking to the union"."""

from __future__ import annotations

from bot.coach.english.lexicon import words

_DOUBLED = words(
    "run get put stop cut set sit let plan drop shut chat hit swap skip step ship dig quit "
    "admit commit refer prefer regret permit hug tap map nag pin win begin forget"
)
_ENDS_IN_ING = words("bring sing ring sting swing spring string wring cling fling sling")
_IRREGULAR = {"be": "being", "see": "seeing", "lie": "lying", "die": "dying", "tie": "tying"}
_PRONOUN_SUBJECT = {"him": "he", "her": "she", "them": "they", "me": "you", "us": "you"}


def gerund(verb: str) -> str:
    lower = verb.lower()
    if lower in {"don't", "do", "never"}:
        return ""
    if lower.endswith("ing") and lower not in _ENDS_IN_ING:
        return lower
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower in _DOUBLED:
        return lower + lower[-1] + "ing"
    if lower.endswith("ie"):
        return lower[:-2] + "ying"
    if lower.endswith("e") and not lower.endswith(("ee", "oe", "ye")):
        return lower[:-1] + "ing"
    return lower + "ing"


def as_subject(noun_phrase: str) -> str:
    """ "them" → "they": an object pronoun put where a subject goes."""
    return _PRONOUN_SUBJECT.get(noun_phrase.lower(), noun_phrase)

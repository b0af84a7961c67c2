"""Assessing one utterance: read each sentence, keep the most important, reframe it."""

from __future__ import annotations

from bot.coach.kinds import COACHED, PRIORITY, Assessment, Kind
from bot.coach.reading import LanguageRules, Reading
from bot.coach.registry import rules_for
from bot.coach.text import clean, sentences

DEFAULT_LANGUAGE = "en"


def classify(text: str, *, language: str = DEFAULT_LANGUAGE) -> Kind:
    reading = _main_reading(text, language)
    return Kind.OTHER if reading is None else reading[1].kind


def read(text: str, *, language: str = DEFAULT_LANGUAGE) -> tuple[Kind, float]:
    """The kind of `text` and how sure the coach is of it, without a reframing."""
    found = _main_reading(text, language)
    return (Kind.OTHER, 1.0) if found is None else (found[1].kind, found[1].confidence)


def assess(text: str, *, language: str = DEFAULT_LANGUAGE) -> Assessment:
    """The kind of `text` and, when it is closed, leading or advice, an open reframing.

    Text in a language without rules, or not written in the selected language, is `other`.
    """
    found = _main_reading(text, language)
    if found is None:
        return Assessment(text=text, kind=Kind.OTHER, suggestion=None)
    rules, reading = found
    sure = reading.confidence
    if reading.kind not in COACHED:
        return Assessment(text=text, kind=reading.kind, suggestion=None, confidence=sure)
    suggestion = _reframing(rules, reading)
    return Assessment(text=text, kind=reading.kind, suggestion=suggestion, confidence=sure)


def rules_reading(text: str, language: str) -> tuple[LanguageRules, Reading] | None:
    """The rules' own reading of `text`: each sentence read, the most important kept."""
    return _read_cleaned(clean(text), language)


def _read_cleaned(cleaned: str, language: str) -> tuple[LanguageRules, Reading] | None:
    rules = rules_for(language)
    if rules is None or not cleaned or not rules.recognises(cleaned):
        return None
    readings = [rules.read(sentence) for sentence in sentences(cleaned)]
    if not readings:
        return None
    return rules, min(readings, key=lambda r: (PRIORITY.index(r.kind), -r.confidence))


def _main_reading(text: str, language: str) -> tuple[LanguageRules, Reading] | None:
    """The rules' reading, weighed by the language's learned second opinion."""
    cleaned = clean(text)
    found = _read_cleaned(cleaned, language)
    if found is None:
        return None
    rules, reading = found
    return rules, rules.weigh(cleaned, reading)


def _reframing(rules: LanguageRules, reading: Reading) -> str:
    """The rules' reframing if it really reads as open; otherwise their fallback question."""
    candidate = rules.reframe(reading)
    if candidate and classify(candidate, language=rules.code) is Kind.OPEN:
        return candidate
    return rules.fallback_question

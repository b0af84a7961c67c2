"""Every reframing is an open question that keeps the asker's intent and words."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach import Kind, assess, classify
from bot.coach.english import ENGLISH
from bot.coach.kinds import COACHED, PRIORITY
from bot.coach.text import clean, sentences
from tests.confidential import PLANTED

CORPUS = Path(__file__).resolve().parents[1] / "data" / "coach_corpus.tsv"


def corpus_texts() -> list[str]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Have you tried a weekly huddle?", ["tried"]),
        ("Have you thought about talking to HR?", ["HR"]),
        ("Why don't you speak to the union rep?", ["the union rep"]),
        ("Wouldn't it be simpler to scrap the old process?", ["simpler"]),
        ("Isn't the issue really about trust?", ["issue"]),
        ("You should write a business case.", ["writing a business case"]),
        ("I would go to the chief nurse with this.", ["the chief nurse"]),
        ("What worked for us was a daily stand-up.", ["worked"]),
        ("Did you tell your manager?", ["your manager"]),
        ("Do you trust him?", ["him"]),
        ("Is the deadline fixed?", ["the deadline"]),
        ("Sounds like you need a project manager.", ["a project manager"]),
    ],
)
def test_reframing_reuses_the_askers_words(text: str, words: list[str]) -> None:
    verdict = assess(text)
    assert verdict.kind in COACHED and verdict.suggestion is not None
    assert verdict.suggestion.endswith("?")
    assert all(word in verdict.suggestion for word in words), verdict.suggestion
    assert classify(verdict.suggestion) is Kind.OPEN


def test_open_and_other_get_no_suggestion() -> None:
    assert assess("What would help you most?").suggestion is None
    assert assess("Thanks, that was brave.").suggestion is None


def test_the_rules_own_reframings_read_as_open_without_the_fallback() -> None:
    """The fallback question is a safety net, not the usual answer."""
    own, coached = 0, 0
    for text in corpus_texts():
        readings = [ENGLISH.read(s) for s in sentences(clean(text))]
        if not readings:
            continue
        reading = min(readings, key=lambda r: PRIORITY.index(r.kind))
        if reading.kind not in COACHED:
            continue
        coached += 1
        candidate = ENGLISH.reframe(reading)
        if candidate is not None:
            assert classify(candidate) is Kind.OPEN, (text, candidate)
            own += 1
    assert coached > 250 and own / coached > 0.9


def test_every_corpus_reframing_is_open() -> None:
    for text in corpus_texts():
        verdict = assess(text)
        assert (verdict.suggestion is not None) == (verdict.kind in COACHED)
        if verdict.suggestion is not None:
            assert classify(verdict.suggestion) is Kind.OPEN, (text, verdict.suggestion)


OPENERS = [
    "have you tried", "have you thought about", "why don't you", "why not", "wouldn't it be",
    "isn't the real problem", "what if you just", "could you", "you should", "you need to",
    "if I were you I'd", "I would", "just", "did you", "is the", "are you", "do you think",
    "how many", "what about", "maybe", "don't", "try", "the answer is", "surely",
]  # fmt: skip
WORDS = [
    "talk", "to", "the", "union", "rep", "a", "pilot", "on", "ward", "your", "sponsor",
    "manager", "donors", "easier", "better", "stop", "asking", "HR", "him", "them", "it",
    "problem", "issue", "budget", "team", "quit", "write", "business", "case", "trust",
    "ok", "happy", "with", "worked", "for", "us", PLANTED, "<@slack:T1:U2>", "🙂", ",",
    "-", "and", "that", "so", "link", "meeting", "?", ".",
]  # fmt: skip


@st.composite
def utterances(draw: st.DrawFn) -> str:
    opener = draw(st.sampled_from(OPENERS))
    rest = draw(st.lists(st.sampled_from(WORDS), max_size=12))
    end = draw(st.sampled_from(["?", ".", "!", ""]))
    return " ".join([opener, *rest]) + end


@settings(max_examples=400, deadline=None)
@given(st.one_of(utterances(), st.text(max_size=80)))
def test_every_reframing_of_generated_input_is_open(text: str) -> None:
    verdict = assess(text)
    assert verdict.kind in set(Kind)
    if verdict.kind in COACHED:
        assert verdict.suggestion is not None
        assert classify(verdict.suggestion) is Kind.OPEN, verdict.suggestion
    else:
        assert verdict.suggestion is None

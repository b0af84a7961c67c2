"""Reading one English sentence: which kind it is, and by which rule."""

from __future__ import annotations

import itertools

from bot.coach.english import patterns as p
from bot.coach.english.spelling import correct_spelling
from bot.coach.kinds import Kind
from bot.coach.reading import Reading

_EDGES = " \t.!?\"'()[]*_~"


def read_sentence(sentence: str) -> Reading:
    fixed = correct_spelling(sentence)
    lower = fixed.lower()
    asked = "?" in lower[-3:]
    body = p.PREAMBLE.sub("", lower.strip(_EDGES)).strip(_EDGES)
    if not any(char.isalpha() for char in body):
        return Reading(kind=Kind.OTHER, rule="no words", sentence=fixed)
    kind, rule, whole = _decide(lower, body, asked)
    sure = confidence(kind, rule, whole=whole, asked=asked, words=len(body.split()))
    if fixed != sentence:
        sure -= TYPO
    return Reading(kind=kind, rule=rule, sentence=fixed, confidence=round(max(sure, 0.0), 2))


RULE_CONFIDENCE: dict[tuple[Kind, str], float] = {
    (Kind.ADVICE, "you_should"): 0.95,
    (Kind.ADVICE, "in_my_place"): 0.95,
    (Kind.ADVICE, "i_suggest"): 0.95,
    (Kind.ADVICE, "worked_for_us"): 0.9,
    (Kind.ADVICE, "what_we_did"): 0.9,
    (Kind.ADVICE, "the_answer"): 0.85,
    (Kind.ADVICE, "i_would"): 0.8,
    (Kind.ADVICE, "worth"): 0.85,
    (Kind.ADVICE, "best_to"): 0.8,
    (Kind.ADVICE, "you_could"): 0.75,
    (Kind.ADVICE, "might_help"): 0.75,
    (Kind.ADVICE, "maybe"): 0.75,
    (Kind.ADVICE, "your_position"): 0.85,
    (Kind.ADVICE, "war_story"): 0.7,
    (Kind.ADVICE, "imperative"): 0.65,
    (Kind.LEADING, "thought_about"): 0.95,
    (Kind.LEADING, "why_dont"): 0.95,
    (Kind.LEADING, "negative"): 0.85,
    (Kind.LEADING, "what_if"): 0.85,
    (Kind.LEADING, "should_you"): 0.85,
    (Kind.LEADING, "would_it_help"): 0.85,
    (Kind.LEADING, "is_it_worth"): 0.85,
    (Kind.LEADING, "wonder_if"): 0.85,
    (Kind.LEADING, "stopping_you"): 0.85,
    (Kind.LEADING, "what_would_happen"): 0.75,
    (Kind.LEADING, "could_you"): 0.75,
    (Kind.LEADING, "surely"): 0.8,
    (Kind.LEADING, "just"): 0.7,
    (Kind.LEADING, "maybe"): 0.7,
    (Kind.CLOSED, "aux"): 0.85,
    (Kind.CLOSED, "is_it"): 0.75,
    (Kind.CLOSED, "share_fact"): 0.75,
    (Kind.CLOSED, "quantity"): 0.85,
    (Kind.CLOSED, "who_is"): 0.8,
    (Kind.CLOSED, "where_is"): 0.75,
    (Kind.CLOSED, "what_fact"): 0.75,
    (Kind.CLOSED, "who_does"): 0.65,
    (Kind.CLOSED, "when"): 0.7,
    (Kind.CLOSED, "which"): 0.6,
    (Kind.CLOSED, "question"): 0.5,
}
"""How sure each rule is when it decides a coached kind, before any sign of a guess."""
DEFAULT_CONFIDENCE = 0.8
TYPO = 0.05
"""Less when a word had to be put right first."""
AFTER_A_BREAK = 0.1
"""Less when the rule matched only after a comma or dash, not at the sentence's start."""
UNASKED = 0.1
"""Less for a closed or leading reading of a sentence without a question mark."""
LONG = 0.1
LONG_WORDS = 30


def confidence(kind: Kind, rule: str, *, whole: bool, asked: bool, words: int) -> float:
    sure = RULE_CONFIDENCE.get((kind, rule), DEFAULT_CONFIDENCE)
    if not whole:
        sure -= AFTER_A_BREAK
    if kind in {Kind.CLOSED, Kind.LEADING} and not asked:
        sure -= UNASKED
    if words > LONG_WORDS:
        sure -= LONG
    return sure


MAX_CLAUSE_BREAKS = 24
"""Clause breaks looked at per sentence: a question has a few; reading every one of a
pathological "so, so, so, …" would try every rule on every suffix (quadratic)."""


def clause_starts(body: str, shortest: int = 3) -> list[str]:
    """The sentence, then what follows each comma, colon, dash or bracket if it has at least
    `shortest` words (so a tag such as "isn't it?" is not read as a question of its own);
    after at most `MAX_CLAUSE_BREAKS` breaks."""
    starts = [body]
    for match in itertools.islice(p.CLAUSE_BREAK.finditer(body), MAX_CLAUSE_BREAKS):
        rest = body[match.end() :]
        if len(rest.split(maxsplit=shortest)) >= shortest:
            starts.append(rest)
    return starts


Decision = tuple[Kind, str, bool]
"""The kind, the rule that decided it, and whether it matched at the sentence's start."""


def _decide(lower: str, body: str, asked: bool) -> Decision:
    starts = clause_starts(body)
    decided = (
        _search(Kind.OTHER, p.LOGISTICS, [lower])
        or _match(Kind.OPEN, p.OPEN_INVITATION, [body])
        or (None if asked else _search(Kind.ADVICE, p.ADVICE, starts))
        or _match(Kind.OPEN, p.OPEN_INVITATION, starts)
        or ((Kind.CLOSED, "share_fact", True) if p.SHARE_FACT.match(body) else None)
        or _match(Kind.LEADING, p.LEADING, starts)
        or (_search(Kind.LEADING, p.LEADING_WHEN_ASKED, [body]) if asked else None)
        or _match(Kind.CLOSED, p.CLOSED_WH, [body])
        or _match(Kind.OPEN, p.OPEN_WH, starts)
        or _match(Kind.CLOSED, p.CLOSED, [body])
        or ((Kind.CLOSED, "question", True) if asked else None)
        or _match(Kind.ADVICE, p.IMPERATIVE, clause_starts(body, shortest=2))
    )
    return decided or (Kind.OTHER, "statement", True)


def _match(kind: Kind, table: p.Rules, starts: list[str]) -> Decision | None:
    for name, pattern in table:
        for index, start in enumerate(starts):
            if pattern.match(start):
                return kind, name, index == 0
    return None


def _search(kind: Kind, table: p.Rules, texts: list[str]) -> Decision | None:
    for name, pattern in table:
        for index, text in enumerate(texts):
            if pattern.search(text):
                return kind, name, index == 0
    return None

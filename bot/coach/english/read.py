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
    kind, rule = _decide(lower, body, asked)
    return Reading(kind=kind, rule=rule, sentence=fixed)


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


def _decide(lower: str, body: str, asked: bool) -> tuple[Kind, str]:
    starts = clause_starts(body)
    decided = (
        _search(Kind.OTHER, p.LOGISTICS, [lower])
        or (None if asked else _search(Kind.ADVICE, p.ADVICE, starts))
        or _match(Kind.OPEN, p.OPEN_INVITATION, starts)
        or _match(Kind.LEADING, p.LEADING, starts)
        or (_search(Kind.LEADING, p.LEADING_WHEN_ASKED, [body]) if asked else None)
        or _match(Kind.CLOSED, p.CLOSED_WH, [body])
        or _match(Kind.OPEN, p.OPEN_WH, starts)
        or _match(Kind.CLOSED, p.CLOSED, [body])
        or ((Kind.CLOSED, "question") if asked else None)
        or _match(Kind.ADVICE, p.IMPERATIVE, clause_starts(body, shortest=2))
    )
    return decided or (Kind.OTHER, "statement")


def _match(kind: Kind, table: p.Rules, starts: list[str]) -> tuple[Kind, str] | None:
    for name, pattern in table:
        if any(pattern.match(start) for start in starts):
            return kind, name
    return None


def _search(kind: Kind, table: p.Rules, texts: list[str]) -> tuple[Kind, str] | None:
    for name, pattern in table:
        if any(pattern.search(text) for text in texts):
            return kind, name
    return None

"""A second opinion learned from labelled utterances: two small linear models over words.

The rules were written by the same hands as the corpus they were tuned on, and on sets
written by others they read 3–5% of good open questions as closed. Two multinomial
logistic models, trained at build time (`bot.coach.english.training`) from labelled text
kept in the repository, weigh every utterance the rules have read:

- `with_rules` sees the words and the rules' reading (its kind and rule) and picks the kind;
- `words_only` sees the words alone; its belief that the text is an open question caps the
  confidence of a coached reading, so the coach abstains when the words look open, whatever
  the rules said. A member asking a good question must never be told off.

The weights live in `weights.json` beside this module: nothing is downloaded at run time, and
`tests/unit/test_coach_model.py` checks that training again gives the same weights.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.coach.english.spelling import correct_spelling
from bot.coach.kinds import COACHED, Kind
from bot.coach.reading import Reading
from bot.coach.text import sentences

KINDS: tuple[Kind, ...] = tuple(Kind)
"""The order of each weight vector's entries."""
WEIGHTS_FILE = "weights.json"
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
MAX_SENTENCES = 4
"""Sentences looked at per utterance: the kind of a message shows in its first few."""

Weights = Mapping[str, Sequence[float]]


def features(text: str, kind: Kind | None, rule: str | None) -> list[str]:
    """What the models see of cleaned `text`: a bias, each sentence's first one, two and
    three words, its question mark, its words and word pairs (spelling put right, lower
    case) and, for `with_rules`, the rules' kind and rule."""
    found = ["bias"]
    for sentence in sentences(text)[:MAX_SENTENCES] or [text]:
        lower = correct_spelling(sentence).lower()
        words = WORD.findall(lower)
        if words:
            found.append("s1:" + words[0])
        if len(words) > 1:
            found.append("s2:" + "_".join(words[:2]))
        if len(words) > 2:
            found.append("s3:" + "_".join(words[:3]))
        if "?" in lower[-3:]:
            found.append("asked")
        found += ["w:" + word for word in words]
        found += [f"p:{a}_{b}" for a, b in itertools.pairwise(words)]
    if kind is not None:
        found += [f"rule:{kind.value}", f"rule:{kind.value}:{rule}"]
    return found


def probabilities(weights: Weights, found: Sequence[str]) -> list[float]:
    """The softmax over `KINDS` of the summed weights of the features present."""
    scores = [0.0] * len(KINDS)
    for feature in found:
        row = weights.get(feature)
        if row is not None:
            for index, weight in enumerate(row):
                scores[index] += weight
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [value / total for value in exps]


@dataclass(frozen=True)
class Models:
    with_rules: Weights
    words_only: Weights

    def weigh(self, text: str, reading: Reading) -> Reading:
        """The rules' reading of cleaned `text`, its kind and confidence revised by the models.

        A coached kind is only as sure as the words-only model is that the text is not open."""
        chances = probabilities(self.with_rules, features(text, reading.kind, reading.rule))
        best = max(range(len(KINDS)), key=chances.__getitem__)
        kind = KINDS[best]
        sure = chances[best]
        if kind in COACHED:
            words = probabilities(self.words_only, features(text, None, None))
            sure = min(sure, 1.0 - words[KINDS.index(Kind.OPEN)])
        rule = reading.rule if kind is reading.kind else "learned"
        return Reading(kind=kind, rule=rule, sentence=reading.sentence, confidence=round(sure, 2))


@cache
def models() -> Models | None:
    """The trained models shipped with the package, or None if there are none."""
    source = resources.files(__package__ or "bot.coach.english").joinpath(WEIGHTS_FILE)
    if not source.is_file():
        return None
    data = json.loads(source.read_text(encoding="utf-8"))
    return Models(with_rules=data["with_rules"], words_only=data["words_only"])

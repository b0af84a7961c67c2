"""Training the coach's learned second opinion (`learned.py`) from labelled text.

    python -m bot.coach.english.training      # rewrites bot/coach/english/weights.json

Run it from a checkout after changing the rules or the training files; it takes a few
seconds and is deterministic (examples in file order, fixed epochs, AdaGrad, weights rounded),
so `tests/unit/test_coach_model.py` can check the shipped weights are the trained ones.

The training files, grouped by who wrote them (`WRITERS`): the project's corpus (train split
only; the held-out split stays a measure) and its families file, and the two independent
sets written by people who saw only the label definitions. Each was measured once, unseen,
before it joined the training data (tests/data/README.md). A new independent set is a fair
measure only while it stays out of this list.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.coach.assess import rules_reading
from bot.coach.english.learned import KINDS, WEIGHTS_FILE, Models, features
from bot.coach.kinds import Kind
from bot.coach.text import clean

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"
WRITERS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "project": (("coach_corpus.tsv", "train"), ("coach_families.tsv", None)),
    "independent": (("coach_independent.tsv", None),),
    "independent2": (("coach_independent2.tsv", None),),
}
"""Training files per writer, each with the split it contributes (None: the whole file)."""
EPOCHS = 40
RATE = 0.3
L2 = 1e-4
MIN_COUNT = 2
"""A feature seen in fewer training utterances than this is left out: it teaches little
and would only make the weights file bigger."""
DIGITS = 4
"""Weights are rounded so the file is small and the same on every machine."""


@dataclass(frozen=True)
class Labelled:
    kind: Kind
    text: str


def labelled(path: Path, split: str | None = None) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Labelled(Kind(row["kind"]), row["text"])
        for row in rows
        if split is None or row.get("split") == split
    ]


def by_writer(data: Path = DATA) -> dict[str, list[Labelled]]:
    return {
        writer: [example for name, split in files for example in labelled(data / name, split)]
        for writer, files in WRITERS.items()
    }


@dataclass(frozen=True)
class Seen:
    """One training example as the models see it."""

    kind: Kind
    with_rules: list[str]
    words_only: list[str]


def seen(examples: Sequence[Labelled]) -> list[Seen]:
    """The examples the rules read as English (others never reach the models)."""
    out = []
    for example in examples:
        found = rules_reading(example.text, "en")
        if found is None:
            continue
        reading = found[1]
        text = clean(example.text)
        out.append(
            Seen(
                example.kind,
                features(text, reading.kind, reading.rule),
                features(text, None, None),
            )
        )
    return out


def fit(rows: Sequence[tuple[Kind, list[str]]]) -> dict[str, list[float]]:
    """Multinomial logistic regression by AdaGrad with a little L2, in file order, over the
    features seen at least `MIN_COUNT` times."""
    size = len(KINDS)
    counts = Counter(feature for _, found in rows for feature in set(found))
    rows = [(kind, [f for f in found if counts[f] >= MIN_COUNT]) for kind, found in rows]
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    for _ in range(EPOCHS):
        for kind, found in rows:
            for feature in found:
                if feature not in weights:
                    weights[feature] = [0.0] * size
                    squares[feature] = [1e-8] * size
            scores = [sum(weights[f][j] for f in found) for j in range(size)]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            truth = KINDS.index(kind)
            for j in range(size):
                error = exps[j] / total - (1.0 if j == truth else 0.0)
                for feature in found:
                    row, square = weights[feature], squares[feature]
                    step = error + L2 * row[j]
                    square[j] += step * step
                    row[j] -= RATE * step / math.sqrt(square[j])
    return {
        feature: [round(w, DIGITS) for w in row]
        for feature, row in weights.items()
        if any(round(w, DIGITS) for w in row)
    }


def train(examples: Sequence[Labelled]) -> Models:
    rows = seen(examples)
    return Models(
        with_rules=fit([(r.kind, r.with_rules) for r in rows]),
        words_only=fit([(r.kind, r.words_only) for r in rows]),
    )


def encode(models: Models) -> str:
    """The weights as JSON, one feature a line so a change reads well in a diff."""
    parts = []
    for name, weights in (("with_rules", models.with_rules), ("words_only", models.words_only)):
        lines = ",\n".join(f"  {json.dumps(f)}: {json.dumps(list(w))}" for f, w in weights.items())
        parts.append(f'"{name}": {{\n{lines}\n}}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def read_with(models: Models, text: str) -> tuple[Kind, float]:
    """How `models` read `text` (as `bot.coach.read` does with the shipped ones)."""
    found = rules_reading(text, "en")
    if found is None:
        return Kind.OTHER, 1.0
    reading = models.weigh(clean(text), found[1])
    return reading.kind, reading.confidence


def held_out_by_writer(
    writers: dict[str, list[Labelled]],
) -> list[tuple[Labelled, Kind, float]]:
    """Each writer's examples read by models trained on the other writers only: how the coach
    does on text by someone it has not learned from, for choosing its threshold."""
    out = []
    for writer, examples in writers.items():
        others = [e for name, group in writers.items() if name != writer for e in group]
        models = train(others)
        out += [(e, *read_with(models, e.text)) for e in examples]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    target = Path(__file__).with_name(WEIGHTS_FILE)
    examples = [example for group in by_writer().values() for example in group]
    target.write_text(encode(train(examples)), encoding="utf-8")
    print(f"wrote {target} from {len(examples)} labelled utterances", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

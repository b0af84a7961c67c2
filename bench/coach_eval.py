"""Measure the question coach on labelled utterances.

    python bench/coach_eval.py [--shared PATH] [--corpus PATH] [--split heldout|train|all]

Prints per-label precision and recall, macro-F1, the confusion matrix and the share of open
questions wrongly flagged (read as closed, leading or advice), for the chosen split of
`tests/data/coach_corpus.tsv` and for the shared label file (default
`../shared/coach-labels.tsv` relative to the repository root), then the time per utterance.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.coach import Kind, assess, classify  # noqa: E402

KINDS = [kind.value for kind in Kind]
FLAGGED = {Kind.CLOSED.value, Kind.LEADING.value, Kind.ADVICE.value}
CORPUS = ROOT / "tests" / "data" / "coach_corpus.tsv"
SHARED = ROOT.parent / "shared" / "coach-labels.tsv"


@dataclass(frozen=True)
class Example:
    kind: str
    text: str
    split: str = "all"


@dataclass(frozen=True)
class Score:
    examples: int
    precision: dict[str, float]
    recall: dict[str, float]
    macro_f1: float
    confusion: dict[tuple[str, str], int]
    open_flagged: float
    """Share of open questions read as closed, leading or advice."""
    misses: list[tuple[Example, str]]


def load(path: Path, split: str = "all") -> list[Example]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    examples = [Example(row["kind"], row["text"], row.get("split") or "all") for row in rows]
    return [e for e in examples if split == "all" or e.split == split]


def score(examples: Sequence[Example]) -> Score:
    predicted = [classify(example.text).value for example in examples]
    confusion = Counter((e.kind, guess) for e, guess in zip(examples, predicted, strict=True))
    precision, recall, f1 = {}, {}, []
    for kind in KINDS:
        hits = confusion[(kind, kind)]
        said = sum(confusion[(other, kind)] for other in KINDS)
        truth = sum(confusion[(kind, other)] for other in KINDS)
        precision[kind] = hits / said if said else 0.0
        recall[kind] = hits / truth if truth else 0.0
        both = precision[kind] + recall[kind]
        f1.append(2 * precision[kind] * recall[kind] / both if both else 0.0)
    opens = [guess for e, guess in zip(examples, predicted, strict=True) if e.kind == "open"]
    misses = [(e, g) for e, g in zip(examples, predicted, strict=True) if e.kind != g]
    return Score(
        examples=len(examples),
        precision=precision,
        recall=recall,
        macro_f1=sum(f1) / len(f1),
        confusion=dict(confusion),
        open_flagged=sum(g in FLAGGED for g in opens) / len(opens) if opens else 0.0,
        misses=misses,
    )


def report(title: str, result: Score, *, show_misses: bool) -> str:
    lines = [f"## {title} ({result.examples} utterances)", "", "label     precision  recall"]
    for kind in KINDS:
        lines.append(f"{kind:<9} {result.precision[kind]:>9.2f}  {result.recall[kind]:>6.2f}")
    lines += ["", f"macro-F1: {result.macro_f1:.3f}"]
    lines.append(f"open questions wrongly flagged: {result.open_flagged:.1%}")
    lines += ["", "confusion (rows: true label, columns: predicted)"]
    lines.append("          " + "".join(f"{kind:>9}" for kind in KINDS))
    for truth in KINDS:
        cells = "".join(f"{result.confusion.get((truth, guess), 0):>9}" for guess in KINDS)
        lines.append(f"{truth:<10}{cells}")
    if show_misses:
        lines += ["", "misses:"]
        lines += [f"  {e.kind:>7} -> {guess:<7} {e.text}" for e, guess in result.misses]
    return "\n".join(lines) + "\n"


def time_per_utterance(texts: Sequence[str], *, reframe: bool, rounds: int = 20) -> float:
    """Mean seconds per utterance over the whole corpus, best of three runs."""
    read = assess if reframe else classify
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                read(text)
        runs.append((time.perf_counter() - start) / (rounds * len(texts)))
    return min(runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared label file")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the project's corpus")
    parser.add_argument("--split", default="heldout", choices=["heldout", "train", "all"])
    parser.add_argument("--misses", action="store_true", help="list every wrong reading")
    args = parser.parse_args(argv)
    corpus = load(args.corpus, args.split)
    print(report(f"{args.corpus.name}, {args.split} split", score(corpus), show_misses=args.misses))
    if args.shared.exists():
        shared = load(args.shared)
        print(report(args.shared.name, score(shared), show_misses=args.misses))
    else:
        print(f"(no shared label file at {args.shared})\n")
    texts = [e.text for e in load(args.corpus)]
    classify_only = time_per_utterance(texts, reframe=False)
    with_reframe = time_per_utterance(texts, reframe=True)
    print(f"time per utterance: classify {classify_only * 1e6:.0f} µs, ", end="")
    print(f"classify + reframe {with_reframe * 1e6:.0f} µs (whole corpus, best of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

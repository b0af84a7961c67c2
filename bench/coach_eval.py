"""Measure the question coach on labelled utterances.

    python bench/coach_eval.py [--shared PATH] [--corpus PATH] [--split heldout|train|all]
                               [--independent PATH] [--choose-threshold] [--reframings]

Prints per-label precision and recall, macro-F1, the confusion matrix and the share of open
questions flagged — coached: read as closed, leading or advice at or above the confidence
threshold (and, beside it, the share read so before abstaining) — for the chosen split of
`tests/data/coach_corpus.tsv` ("train" is everything the learned model trains on:
`bot.coach.english.training.WRITERS`), for the
shared label file (default `../shared/coach-labels.tsv` relative to the repository root) and
for an independent labelled file (`--independent`, columns `kind` and `text`), then the time
per utterance.

`--choose-threshold` sweeps the confidence threshold over the training data only and prints
the trade-off (open questions flagged; precision and recall of coaching), marking the choice.
Each writer's training utterances are read by a model trained on the other writers alone, so
the sweep shows how the coach does on text by someone it has not learned from.
`--reframings` prints 40 coached utterances beside their reframings, for a person to read,
and counts reframings not read as open or that keep none of the original's content words.
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

from bot.coach import THRESHOLD, Kind, assess, classify, read  # noqa: E402
from bot.coach.english.lexicon import words  # noqa: E402
from bot.coach.english.training import by_writer, held_out_by_writer  # noqa: E402
from bot.coach.kinds import RECALL_FLOOR  # noqa: E402

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
    """Share of open questions the coach would coach (coached kind, confident enough)."""
    open_read_coached: float
    """Share of open questions read as closed, leading or advice, before abstaining."""
    coach_precision: float
    """Of the utterances coached, the share truly closed, leading or advice."""
    coach_recall: float
    """Of the truly closed, leading or advice utterances, the share coached."""
    misses: list[tuple[Example, str]]


def load(path: Path, split: str = "all") -> list[Example]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    examples = [Example(row["kind"], row["text"], row.get("split") or "all") for row in rows]
    return [e for e in examples if split == "all" or e.split == split]


def training() -> list[Example]:
    """Everything the learned model and the confidence threshold may be tuned on."""
    return [Example(e.kind.value, e.text, "train") for group in by_writer().values() for e in group]


Readings = Sequence[tuple[Kind, float]]


def held_out_readings() -> tuple[list[Example], list[tuple[Kind, float]]]:
    """The training utterances, each read by a model that never learned from its writer."""
    rows = held_out_by_writer(by_writer())
    return [Example(e.kind.value, e.text, "train") for e, _, _ in rows], [
        (kind, sure) for _, kind, sure in rows
    ]


def score(
    examples: Sequence[Example], threshold: float = THRESHOLD, readings: Readings | None = None
) -> Score:
    """How the coach reads `examples` (or how it read them: `readings`, in the same order)."""
    if readings is None:
        readings = [read(example.text) for example in examples]
    predicted = [kind.value for kind, _ in readings]
    coached = [kind.value in FLAGGED and sure >= threshold for kind, sure in readings]
    truly = [e.kind in FLAGGED for e in examples]
    caught = sum(c and t for c, t in zip(coached, truly, strict=True))
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
    open_coached = [c for e, c in zip(examples, coached, strict=True) if e.kind == "open"]
    misses = [(e, g) for e, g in zip(examples, predicted, strict=True) if e.kind != g]
    return Score(
        examples=len(examples),
        precision=precision,
        recall=recall,
        macro_f1=sum(f1) / len(f1),
        confusion=dict(confusion),
        open_flagged=sum(open_coached) / len(opens) if opens else 0.0,
        open_read_coached=sum(g in FLAGGED for g in opens) / len(opens) if opens else 0.0,
        coach_precision=caught / sum(coached) if any(coached) else 1.0,
        coach_recall=caught / sum(truly) if any(truly) else 1.0,
        misses=misses,
    )


def report(title: str, result: Score, *, show_misses: bool) -> str:
    lines = [f"## {title} ({result.examples} utterances)", "", "label     precision  recall"]
    for kind in KINDS:
        lines.append(f"{kind:<9} {result.precision[kind]:>9.2f}  {result.recall[kind]:>6.2f}")
    lines += ["", f"macro-F1: {result.macro_f1:.3f}"]
    lines.append(
        f"open questions flagged (coached, threshold {THRESHOLD}): {result.open_flagged:.1%}"
        f" ({result.open_read_coached:.1%} read as closed/leading/advice before abstaining)"
    )
    lines.append(
        f"coaching: precision {result.coach_precision:.3f}, recall {result.coach_recall:.3f}"
    )
    lines += ["", "confusion (rows: true label, columns: predicted)"]
    lines.append("          " + "".join(f"{kind:>9}" for kind in KINDS))
    for truth in KINDS:
        cells = "".join(f"{result.confusion.get((truth, guess), 0):>9}" for guess in KINDS)
        lines.append(f"{truth:<10}{cells}")
    if show_misses:
        lines += ["", "misses:"]
        lines += [f"  {e.kind:>7} -> {guess:<7} {e.text}" for e, guess in result.misses]
    return "\n".join(lines) + "\n"


THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(21))


def choose_threshold(examples: Sequence[Example], readings: Readings) -> float:
    """The highest threshold that still coaches `RECALL_FLOOR` of the coached kinds and
    flags under 1% of open questions — precision first, on training data only."""
    fits = [
        t
        for t in THRESHOLDS
        if (r := score(examples, t, readings)).coach_recall >= RECALL_FLOOR
        and r.open_flagged < 0.01
    ]
    return max(fits) if fits else THRESHOLDS[-1]


def threshold_table(examples: Sequence[Example], readings: Readings) -> str:
    chosen = choose_threshold(examples, readings)
    lines = [
        f"## threshold sweep on training data, each writer read by a model trained on the"
        f" others ({len(examples)} utterances)",
        "",
        "threshold  open flagged  coach precision  coach recall",
    ]
    for t in THRESHOLDS:
        r = score(examples, t, readings)
        mark = "  <- chosen" if t == chosen else ""
        lines.append(
            f"{t:>9.2f}  {r.open_flagged:>12.1%}  {r.coach_precision:>15.3f}  "
            f"{r.coach_recall:>12.3f}{mark}"
        )
    return "\n".join(lines) + "\n"


STOPWORDS = words(
    """a an the to of in on at for with about and or but if so it its it's this that these
    those is are was were be been being do does did done have has had having you your u ur
    i me my we us our they them their he him his she her what how why who when where which
    can could would should will might may must not no yes just really maybe perhaps ever
    think thought tried try considered consider there any some more than then also isn't
    don't didn't wouldn't couldn't shouldn't haven't hasn't aren't wasn't weren't won't can't
    doesn't"""
)


def content_words(text: str) -> set[str]:
    """The words that carry meaning, each cut to its first five letters (a crude stem, so
    "escalate" and "escalating" count as one)."""
    found = {w.strip(".,!?;:\"'()").lower() for w in text.split()}
    return {w[:5] for w in found if len(w) > 1 and w not in STOPWORDS and w.isalpha()}


def reframings(examples: Sequence[Example], shown: int = 40) -> str:
    """Coached utterances beside their reframings, and the count of poor reframings."""
    coached = [a for e in examples if (a := assess(e.text)).suggestion is not None]
    not_open = [a for a in coached if classify(a.suggestion or "") is not Kind.OPEN]
    dropped = [
        a
        for a in coached
        if content_words(a.text) and not content_words(a.text) & content_words(a.suggestion or "")
    ]
    lines = [f"## reframings ({len(coached)} coached utterances, first {shown} shown)", ""]
    for a in coached[:shown]:
        lines += [f"  {a.kind.value:>7}: {a.text}", f"       -> {a.suggestion}", ""]
    lines.append(f"reframings not read as open: {len(not_open)}")
    lines.append(f"reframings keeping none of the original's content words: {len(dropped)}")
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
    parser.add_argument("--independent", type=Path, help="an independent labelled file")
    parser.add_argument("--choose-threshold", action="store_true", help="sweep on training")
    parser.add_argument("--reframings", action="store_true", help="print 40 reframings")
    args = parser.parse_args(argv)
    if args.choose_threshold:
        print(threshold_table(*held_out_readings()))
        return 0
    corpus = training() if args.split == "train" else load(args.corpus, args.split)
    if args.reframings:
        print(reframings(corpus))
        return 0
    print(report(f"{args.corpus.name}, {args.split} split", score(corpus), show_misses=args.misses))
    if args.independent is not None:
        independent = load(args.independent)
        print(report(args.independent.name, score(independent), show_misses=args.misses))
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

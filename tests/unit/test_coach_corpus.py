"""The coach's labelled corpus is well formed and its held-out split is the fixed hash rule."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "coach_corpus.tsv"
KINDS = {"open", "closed", "leading", "advice", "other"}


def expected_split(text: str) -> str:
    bucket = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "heldout" if bucket < 28 else "train"


def corpus_rows() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_corpus_is_large_labelled_and_unique() -> None:
    rows = corpus_rows()
    assert len(rows) >= 400
    assert {row["kind"] for row in rows} == KINDS
    assert min(Counter(row["kind"] for row in rows).values()) >= 60
    texts = [row["text"] for row in rows]
    assert len(set(texts)) == len(texts)
    assert all(text.strip() for text in texts)


def test_split_column_is_the_hash_rule() -> None:
    rows = corpus_rows()
    assert all(row["split"] == expected_split(row["text"]) for row in rows)
    heldout = sum(row["split"] == "heldout" for row in rows)
    assert 0.22 <= heldout / len(rows) <= 0.32
    held_kinds = {row["kind"] for row in rows if row["split"] == "heldout"}
    assert held_kinds == KINDS

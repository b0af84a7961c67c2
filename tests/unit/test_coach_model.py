"""The coach's learned second opinion: the shipped weights are the trained ones, and a
coached reading is never surer than the words-only model is that the text is not open."""

from __future__ import annotations

import json
from pathlib import Path

from bot.coach.english.learned import KINDS, WEIGHTS_FILE, Models, features, models
from bot.coach.english.training import by_writer, encode, train
from bot.coach.kinds import Kind
from bot.coach.reading import Reading

SHIPPED = Path(__file__).resolve().parents[2] / "bot" / "coach" / "english" / WEIGHTS_FILE


def test_the_shipped_weights_are_what_training_gives() -> None:
    examples = [example for group in by_writer().values() for example in group]
    trained = json.loads(encode(train(examples)))
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for name in ("with_rules", "words_only"):
        assert trained[name].keys() == shipped[name].keys(), name
        worst = max(
            abs(a - b)
            for feature, row in trained[name].items()
            for a, b in zip(row, shipped[name][feature], strict=True)
        )
        assert worst <= 2e-4, f"{name}: rerun python -m bot.coach.english.training"


def test_the_package_loads_the_shipped_weights() -> None:
    loaded = models()
    assert loaded is not None
    assert len(loaded.with_rules) > 1000
    assert all(len(row) == len(KINDS) for row in loaded.words_only.values())


def one_hot(kind: Kind, weight: float) -> list[float]:
    return [weight if k is kind else 0.0 for k in KINDS]


def test_a_coached_reading_is_capped_by_the_words_only_belief_that_it_is_open() -> None:
    text = "Did you tell your manager?"
    rules = Reading(kind=Kind.CLOSED, rule="aux", sentence=text)
    sure_closed = {"rule:closed": one_hot(Kind.CLOSED, 10.0)}
    torn = Models(with_rules=sure_closed, words_only={"bias": one_hot(Kind.OPEN, 1.5)})
    weighed = torn.weigh(text, rules)
    assert weighed.kind is Kind.CLOSED
    assert weighed.rule == "aux"
    assert weighed.confidence < 0.6  # the words-only model gives open about half
    calm = Models(with_rules=sure_closed, words_only={"bias": one_hot(Kind.CLOSED, 3.0)})
    assert calm.weigh(text, rules).confidence > 0.9


def test_the_model_may_overrule_the_rules_kind() -> None:
    text = "Tell us about the ward."
    rules = Reading(kind=Kind.ADVICE, rule="imperative", sentence=text)
    overrule = Models(with_rules={"s1:tell": one_hot(Kind.OPEN, 5.0)}, words_only={})
    weighed = overrule.weigh(text, rules)
    assert weighed.kind is Kind.OPEN
    assert weighed.rule == "learned"
    assert "s1:tell" in features(text, Kind.ADVICE, "imperative")
    assert "rule:advice:imperative" in features(text, Kind.ADVICE, "imperative")
    assert "rule:advice" not in features(text, None, None)

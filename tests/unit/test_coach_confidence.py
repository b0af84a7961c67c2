"""The coach's confidence: the families it used to misread, its abstention threshold chosen
on the training data, and open questions never coached."""

from __future__ import annotations

import pytest

from bench.coach_eval import choose_threshold, held_out_readings
from bot.coach import THRESHOLD, Kind, assess, read

FAMILIES = {
    Kind.OPEN: [
        "Which parts of the rota feel fair to you?",
        "Which conversations with the curators went well?",
        "When have you felt heard by the trustees?",
        "When has the school managed a change like this?",
        "What is the cost of keeping things as they are?",
        "What's the cost to the team of you staying late?",
        "Describe how the gallery team decided.",
        "Tell us about the council meeting.",
        "Walk me through the handover on the night shift.",
        "Describe what you think you need to do next.",
        "Share a bit more about the donors.",
        "Paint us a picture of a good day on the ward.",
    ],
    Kind.ADVICE: [
        "It would be best to ask the union first.",
        "It would be better to wait for the audit.",
        "You could use a shared inbox for the requests.",
        "You could try a pilot in one school.",
        "Probably best to keep the trustees in the loop.",
        "One thing that might help is a weekly huddle.",
        "Worth asking the finance team.",
    ],
    Kind.CLOSED: [
        "Can you share the figures?",
        "Could you send the report round?",
        "Who chairs the steering group?",
        "Who signs off the budget?",
        "Which ward is it?",
        "Which donor pulled out?",
        "When does the lease end?",
        "What is the cost of the licence?",
        "Is it a fixed-term contract",
    ],
}


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, ts in FAMILIES.items() for t in ts])
def test_the_families_read_as_their_kind(kind: Kind, text: str) -> None:
    assert read(text)[0] is kind


def test_the_threshold_is_the_one_chosen_on_the_training_data() -> None:
    assert choose_threshold(*held_out_readings()) == THRESHOLD


def test_open_questions_are_never_coached_and_clear_closed_ones_are() -> None:
    for text in FAMILIES[Kind.OPEN]:
        assert not assess(text).coaches, text
    assert assess("You should speak to the union.").coaches
    assert assess("Have you thought about a job share?").coaches


def test_abstains_below_the_threshold() -> None:
    guess = assess("and the union?")  # closed, perhaps, but it could open a long answer
    assert guess.kind is Kind.CLOSED
    assert guess.confidence < THRESHOLD
    assert not guess.coaches

"""The question coach reads each kind of utterance in its usual forms and odd shapes."""

from __future__ import annotations

import time

import pytest

from bot.coach import Kind, assess, classify
from bot.coach.registry import rules_for
from bot.messages import mention_token
from tests.confidential import PLANTED

TYPICAL = {
    Kind.OPEN: [
        "What would a good week look like for you?",
        "How are the ward sisters taking the news?",
        "Why does the board matter so much here?",
        "Who else is affected by the closure?",
        "Tell us more about the curators' reaction.",
        "Could you walk us through the last sprint?",
        "I'm curious what the volunteers would say.",
    ],
    Kind.CLOSED: [
        "Did you speak to the head of nursing?",
        "Is the grant confirmed?",
        "How many wards are affected?",
        "When is the release due?",
        "Are you the budget holder for the gallery?",
        "Has the field office agreed to it?",
    ],
    Kind.LEADING: [
        "Have you thought about a job share?",
        "Why don't you ask the union?",
        "Wouldn't it be better to pause the launch?",
        "What if you just skipped the steering group?",
        "Isn't the real problem the rota?",
        "Could you try a quieter approach with the donors?",
        "Don't you think the team needs a break?",
        "How about a pilot in the east wing?",
    ],
    Kind.ADVICE: [
        "You should ask the chief executive.",
        "If I were you I'd say no.",
        "What worked for us was a shared inbox.",
        "I would take it to the trustees.",
        "Escalate it to the regional director.",
        "It might be worth checking the contract.",
        "When we had this we moved to weekly releases and it worked.",
    ],
    Kind.OTHER: [
        "Thanks, that helps a lot.",
        "Agreed.",
        "Sorry, I have to drop off at four.",
        "I felt a bit sad listening to that.",
        "Good morning from Nairobi!",
        "Can everyone see my screen?",
    ],
}


@pytest.mark.parametrize(
    ("kind", "text"), [(kind, text) for kind, texts in TYPICAL.items() for text in texts]
)
def test_typical_forms_of_each_kind(kind: Kind, text: str) -> None:
    assert classify(text) is kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("what would help the night team most", Kind.OPEN),
        ("did the trustees sign it off", Kind.CLOSED),
        ("have you considered asking the donors", Kind.LEADING),
        ("why dont you just tell her", Kind.LEADING),
        ("you should talk to the matron", Kind.ADVICE),
        ("waht do you want from the set today", Kind.OPEN),
        ("u shoud go to HR", Kind.ADVICE),
    ],
)
def test_no_question_mark_lower_case_and_typos(text: str, kind: Kind) -> None:
    assert classify(text) is kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("That sounds hard. What has helped so far?", Kind.OPEN),
        ("Thanks for sharing. You should talk to HR.", Kind.ADVICE),
        ("Did you tell him? How did he react?", Kind.OPEN),
        ("What did the board say? Have you thought about going over their heads?", Kind.LEADING),
        ("I know that feeling. Is the post still vacant?", Kind.CLOSED),
        ("Thanks! See you next time.", Kind.OTHER),
        ("Have you tried a rota? Honestly, I'd just scrap it.", Kind.ADVICE),
    ],
)
def test_several_sentences_take_the_most_important_kind(text: str, kind: Kind) -> None:
    assert classify(text) is kind


def test_emoji_and_mentions_do_not_change_the_reading() -> None:
    someone = mention_token("slack:T1:U2")
    assert classify(f"{someone} what would success look like? 🤔") is Kind.OPEN
    assert classify(f"{someone} have you tried a huddle 🙂🙂") is Kind.LEADING
    assert classify(f"🙏 {someone} thank you") is Kind.OTHER
    assert classify(f"{someone} {mention_token('slack:T1:U3')}") is Kind.OTHER
    assert classify("👍👍👍") is Kind.OTHER


@pytest.mark.parametrize("text", ["", "   ", "\n", "?", "...", "😀"])
def test_empty_or_content_free_input_is_other(text: str) -> None:
    verdict = assess(text)
    assert verdict.kind is Kind.OTHER and verdict.suggestion is None


def test_very_long_input_is_read_quickly_and_safely() -> None:
    long_text = ("Thanks for sharing all of that. " * 2000) + "You should quit."
    start = time.perf_counter()
    verdict = assess(long_text)
    assert time.perf_counter() - start < 2  # generous: the bench measures real speed
    assert verdict.kind is Kind.OTHER  # the advice lies beyond the part that is read
    assert verdict.text == long_text
    assert classify("What would help? " + "a" * 100_000) is Kind.OPEN


@pytest.mark.parametrize(
    "text",
    [
        "¿Qué necesitas de nosotros?",
        "Qu'est-ce que tu as déjà essayé ?",
        "Du solltest mit deinem Chef sprechen.",
        "Hai pensato di parlare con il tuo capo?",
        "Wat heb je nodig van het team?",
        "何が一番難しいですか？",
        "Почему вы не спросите директора?",
    ],
)
def test_another_language_is_other(text: str) -> None:
    verdict = assess(text)
    assert verdict.kind is Kind.OTHER and verdict.suggestion is None


def test_rules_are_chosen_by_language_code() -> None:
    assert rules_for("en") is not None
    assert rules_for("en-GB") is rules_for("en_US") is rules_for("EN")
    assert rules_for("cy") is None
    text = "You should talk to the matron."
    assert classify(text, language="en-GB") is Kind.ADVICE
    assert assess(text, language="cy").kind is Kind.OTHER  # no Welsh rules yet


def test_planted_content_is_read_like_any_other_words() -> None:
    verdict = assess(f"Have you thought about telling {PLANTED}?")
    assert verdict.kind is Kind.LEADING and verdict.text.endswith(f"{PLANTED}?")

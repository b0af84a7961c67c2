"""Every kind of card the Teams renderer makes is Adaptive Cards 1.5, and the check the
fake Bot Connector applies to every card really refuses what Teams would not render."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.teams.cards import render_activity, render_form
from bot.messages import Button, Buttons, Form, FormField, Mention, Message, Moment, Section, Text
from tests.fakes import adaptive_card_schema
from tests.fakes.adaptive_card_schema import schema, schema_errors
from tests.fakes.adaptive_cards import activity_card_errors, card_errors

AT = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)


def cards_of(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["content"] for a in activity.get("attachments") or ()]


MESSAGES = {
    "sections, facts, a mention and a moment": Message(
        (
            Section(
                Text.of(Mention("teams:u1"), " opened the meeting at ", Moment(AT), "."),
                (("due", Text.of(Moment(AT))), ("notes", Text.of("2"))),
            ),
        )
    ),
    "one row of buttons": Message(
        (Section(Text.of("Action 1")), Buttons((Button("Done", "x.done", "v", "primary"),)))
    ),
    "several rows of buttons": Message(
        (
            Section(Text.of("Action 1")),
            Buttons((Button("Done", "x", "1"), Button("Drop", "y", "1", "danger"))),
            Section(Text.of("Action 2")),
            Buttons((Button("Done", "x", "2"),)),
        )
    ),
    "an error": Message.text("That is not a verb I know.", kind="error"),
}


@pytest.mark.parametrize("message", MESSAGES.values(), ids=list(MESSAGES))
def test_every_kind_of_message_renders_a_valid_card(message: Message) -> None:
    activity = render_activity(message, name_of=lambda _: "Ann")
    assert activity_card_errors(activity) == []


def test_a_form_renders_a_valid_card_with_unique_input_ids() -> None:
    form = Form(
        "press|report.answer|s a m partly",
        "Action 1: partly",
        (FormField("happened", "What happened?", True), FormField("learned", "Learned?")),
    )
    activity = render_form(form, "teams:conv")
    (card,) = cards_of(activity)
    assert card_errors(card) == [] and card["version"] <= "1.5"


def valid() -> dict[str, Any]:
    activity = render_activity(MESSAGES["several rows of buttons"], name_of=lambda _: "Ann")
    (card,) = cards_of(activity)
    return copy.deepcopy(card)


@pytest.mark.parametrize(
    ("break_it", "problem"),
    [
        (lambda c: c.update(version="1.6"), "above 1.5"),
        (lambda c: c["body"].append({"type": "Table", "rows": []}), "unknown element 'Table'"),
        (lambda c: c["body"][0].update(colour="good"), "unknown property 'colour'"),
        (lambda c: c["body"][0].update(color="red"), "color='red'"),
        (lambda c: c["body"][0].pop("text"), "missing 'text'"),
        (lambda c: c["body"][1]["actions"][0].update(style="primary"), "style='primary'"),
        (lambda c: c["body"][1]["actions"].append({"type": "Action.Execute"}), "Action.Execute"),
        (
            lambda c: c["body"].extend(
                [{"type": "Input.Text", "id": "a"}, {"type": "Input.Text", "id": "a"}]
            ),
            "input ids repeat",
        ),
        (lambda c: c.update(msteams={"entities": [{"type": "mention"}]}), "not a mention"),
    ],
)
def test_the_check_refuses_what_15_does_not_define(break_it: Any, problem: str) -> None:
    card = valid()
    assert card_errors(card) == []
    break_it(card)
    assert any(problem in e for e in card_errors(card)), card_errors(card)


def test_the_schema_is_the_published_adaptive_cards_schema() -> None:
    assert schema()["id"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert {"AdaptiveCard", "TextBlock", "Action.Submit", "Table"} <= set(schema()["definitions"])


@pytest.mark.parametrize("message", MESSAGES.values(), ids=list(MESSAGES))
def test_every_kind_of_message_validates_against_the_published_schema(message: Message) -> None:
    cards = cards_of(render_activity(message, name_of=lambda _: "Ann"))
    assert [schema_errors(card) for card in cards] == [[] for _ in cards]  # text has no card


@pytest.mark.parametrize(
    "element",
    [
        {"type": "TextBlock", "text": "x", "colour": "red"},  # a property the schema lacks
        {"type": "TextBlock"},  # its required text missing
        {"type": "TextBlock", "text": "x", "size": "huge"},  # a value not in the enum
        {"type": "Marquee", "text": "x"},  # an element that does not exist
    ],
)
def test_the_schema_refuses_what_teams_would_not_render(element: dict[str, Any]) -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [element]}
    assert schema_errors(card), element
    assert activity_card_errors(
        {
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ]
        }
    ), "the fake Bot Connector refuses it too"


def test_an_element_or_property_newer_than_the_version_allowed_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The schema marks what came after 1.0 with a version; the gate reads those marks
    (shown here by lowering the gate to 1.4: `Table` and `rtl` came with 1.5)."""
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "rtl": False,
        "body": [{"type": "Table", "columns": [{"width": 1}], "rows": []}],
    }
    assert schema_errors(card) == []
    monkeypatch.setattr(adaptive_card_schema, "MAX_VERSION", (1, 4))
    assert schema_errors(card) == ["card.rtl is version 1.5", "card.body[0]: Table is version 1.5"]

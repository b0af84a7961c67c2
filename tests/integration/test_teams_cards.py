"""Rendering neutral messages for Teams (pure functions)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from adapters.teams.cards import CARD_CONTENT_TYPE, moment_expression, render_activity, render_form
from bot.messages import Button, Buttons, Form, FormField, Mention, Message, Moment, Section, Text

NAMES = {"teams:aad-farah": "Farah", "teams:aad-amara": "Amara"}


def name_of(user_id: str) -> str:
    return NAMES[user_id]


def test_a_simple_message_is_markdown_text_with_mention_entities() -> None:
    message = Message.text(
        Mention("teams:aad-farah"), " joined, welcomed by ", Mention("teams:aad-farah")
    )
    activity = render_activity(message, name_of=name_of)
    assert activity["text"] == "<at>Farah</at> joined, welcomed by <at>Farah</at>"
    assert activity["textFormat"] == "markdown"
    assert activity["entities"] == [
        {
            "type": "mention",
            "text": "<at>Farah</at>",
            "mentioned": {"id": "aad-farah", "name": "Farah"},
        }
    ]
    assert "attachments" not in activity


def test_moments_render_as_adaptive_card_date_and_time_functions() -> None:
    at = datetime(2026, 12, 1, 14, 30, tzinfo=timezone(timedelta(hours=1)))
    assert (
        moment_expression(Moment(at))
        == "{{DATE(2026-12-01T13:30:00Z, SHORT)}} {{TIME(2026-12-01T13:30:00Z)}}"
    )
    assert moment_expression(Moment(at, "date")) == "{{DATE(2026-12-01T13:30:00Z, SHORT)}}"
    assert moment_expression(Moment(at, "time")) == "{{TIME(2026-12-01T13:30:00Z)}}"
    activity = render_activity(Message.text("Next meeting: ", Moment(at)), name_of=name_of)
    (attachment,) = activity["attachments"]
    assert attachment["contentType"] == CARD_CONTENT_TYPE
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["body"][0]["text"].startswith("Next meeting: {{DATE(2026-12-01T13:30:00Z, SHORT)}}")


def test_fields_buttons_and_errors_make_a_card_with_mentions_in_msteams_entities() -> None:
    message = Message(
        (
            Section(
                Text.of("Roster"), (("facilitator", Text.of(Mention("teams:aad-farah"), " 09:00")),)
            ),
            Buttons(
                (
                    Button("Agree", "agree", "s1", "primary"),
                    Button("Leave", "leave", style="danger"),
                )
            ),
        ),
        kind="error",
    )
    card = render_activity(message, name_of=name_of)["attachments"][0]["content"]
    assert card["body"][0] == {
        "type": "TextBlock",
        "text": "Roster",
        "wrap": True,
        "color": "attention",
    }
    assert card["body"][1]["facts"] == [{"title": "facilitator", "value": "<at>Farah</at> 09:00"}]
    assert card["msteams"]["entities"][0]["mentioned"] == {"id": "aad-farah", "name": "Farah"}
    assert [a["style"] for a in card["actions"]] == ["positive", "destructive"]
    assert card["actions"][0]["data"] == {"revans_action": "agree", "value": "s1"}


def test_a_form_is_a_card_with_inputs() -> None:
    form = Form("challenge", "Your challenge", (FormField("text", "Challenge", multiline=True),))
    card = render_form(form, "teams:19:ward@thread.tacv2")["attachments"][0]["content"]
    assert card["body"][1] == {
        "type": "Input.Text",
        "id": "text",
        "label": "Challenge",
        "isMultiline": True,
        "value": "",
    }
    (submit,) = card["actions"]
    assert submit["type"] == "Action.Submit"
    # the action and the place the form was asked for travel back with the inputs
    assert submit["data"] == {
        "revans_form": "challenge",
        "revans_place": "teams:19:ward@thread.tacv2",
    }

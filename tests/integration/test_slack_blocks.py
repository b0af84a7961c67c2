"""Neutral messages → Block Kit: mentions, moments, escaping, fields, buttons, forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from adapters.slack.blocks import fallback_text, message_blocks, message_payload, modal_view
from bot.messages import (
    Button,
    Buttons,
    Form,
    FormField,
    Mention,
    Message,
    Moment,
    Section,
    Text,
)

AT = datetime(2026, 12, 10, 14, 30, tzinfo=UTC)


def test_mentions_and_moments_render_natively() -> None:
    tokyo = AT.astimezone(timezone(timedelta(hours=9)))
    message = Message.text(
        Mention("slack:T1:U42"), " meets at ", Moment(tokyo), " on ", Moment(AT, "date")
    )
    (block,) = message_blocks(message)
    unix = int(AT.timestamp())
    assert block["text"]["text"] == (
        f"<@U42> meets at <!date^{unix}^{{date_short_pretty}} {{time}}|2026-12-10 14:30 UTC>"
        f" on <!date^{unix}^{{date_short_pretty}}|2026-12-10>"
    )
    assert fallback_text(message) == block["text"]["text"]


def test_user_text_cannot_forge_mentions_or_links() -> None:
    # a typed `<@U1>` reaches the core as `&lt;@U1>` (adapters keep it escaped)
    (block,) = message_blocks(Message.text("a <!channel> & &lt;@U1> <https://x|y>"))
    assert block["text"]["text"] == "a &lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"


def test_a_mention_of_a_non_slack_user_does_not_break_rendering() -> None:
    (block,) = message_blocks(Message.text(Mention("teams:29:abc"), " joined"))
    assert block["text"]["text"] == "someone joined"


def test_fields_are_split_ten_to_a_section() -> None:
    fields = tuple((f"role{i}", Text.of(Mention(f"slack:T1:U{i}"))) for i in range(12))
    blocks = message_blocks(Message((Section(Text.of("Roster"), fields),)))
    assert len(blocks) == 2
    assert len(blocks[0]["fields"]) == 10 and len(blocks[1]["fields"]) == 2
    assert blocks[0]["fields"][0]["text"] == "*role0*\n<@U0>"
    assert "text" not in blocks[1]


def test_buttons_and_the_work_key_as_metadata() -> None:
    message = Message(
        (
            Section(Text.of("Done?")),
            Buttons((Button("Done", "action.done", "7", "primary"), Button("Later", "snooze"))),
        ),
        key="nudge:42",
    )
    payload = message_payload(message)
    actions = payload["blocks"][1]
    assert actions["type"] == "actions"
    assert actions["elements"][0] == {
        "type": "button",
        "text": {"type": "plain_text", "text": "Done"},
        "action_id": "action.done",
        "value": "7",
        "style": "primary",
    }
    assert "style" not in actions["elements"][1]
    assert payload["metadata"] == {
        "event_type": "revans_work",
        "event_payload": {"key": "nudge:42"},
    }
    assert payload["text"] == "Done?"


def test_a_form_is_a_modal() -> None:
    form = Form(
        "challenge.save",
        "Your challenge, in a few words",
        (FormField("text", "Challenge", multiline=True, initial="Rota"),),
    )
    view = modal_view(form)
    assert view["type"] == "modal" and view["callback_id"] == "challenge.save"
    assert len(view["title"]["text"]) <= 24
    (block,) = view["blocks"]
    assert block["element"] == {
        "type": "plain_text_input",
        "action_id": "text",
        "multiline": True,
        "initial_value": "Rota",
    }

"""The neutral message model rendered as Block Kit: pure functions, no I/O.

A `Mention` becomes `<@U…>`; a `Moment` becomes Slack's date token, which every
reader's client shows in their own time zone (the fallback is UTC text).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from adapters.slack.translate import parse_id
from bot.messages import (
    TYPED_MENTION_START,
    Buttons,
    Form,
    Inline,
    Mention,
    Message,
    Moment,
    Section,
    Text,
)

SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
FIELDS_PER_SECTION = 10
MOMENT_FORMATS = {
    "date": "{date_short_pretty}",
    "time": "{time}",
    "datetime": "{date_short_pretty} {time}",
}
FALLBACK_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M UTC", "datetime": "%Y-%m-%d %H:%M UTC"}

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn and plain text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_user(user_id: str) -> str:
    """The Slack user id inside our opaque id (`slack:T1:U2` → `U2`)."""
    return parse_id(user_id).slack_id


def render_inline(part: Inline) -> str:
    if isinstance(part, Mention):
        try:
            return f"<@{slack_user(part.user_id)}>"
        except ValueError:
            return "someone"  # a user from another platform cannot be mentioned here
    if isinstance(part, Moment):
        return moment_token(part)
    # a typed `<@` is kept escaped in the core (`&lt;@`): escape it once, not twice
    return escape(part).replace(escape(TYPED_MENTION_START), TYPED_MENTION_START)


def moment_token(moment: Moment) -> str:
    unix = int(moment.at.timestamp())
    fallback = moment.at.astimezone(UTC).strftime(FALLBACK_FORMATS[moment.style])
    return f"<!date^{unix}^{MOMENT_FORMATS[moment.style]}|{fallback}>"


def render_text(text: Text) -> str:
    return "".join(render_inline(part) for part in text.parts)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_words(text: str, limit: int) -> str:
    """Like `_clip`, but at a word boundary when there is one (modal titles are short)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head, space, _ = cut.rpartition(" ")
    return (head if space and len(head) >= limit // 2 else cut) + "…"


def field_text(label: str, value: Text) -> str:
    return f"*{escape(label)}*\n{render_text(value)}"


def section_blocks(section: Section) -> list[Block]:
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": _clip(render_text(section.text), SECTION_TEXT_LIMIT)},
    }
    fields = [
        {"type": "mrkdwn", "text": _clip(field_text(label, value), FIELD_TEXT_LIMIT)}
        for label, value in section.fields
    ]
    if not fields:
        return [block]
    # Slack allows ten fields a section: longer lists continue in field-only sections.
    blocks = [{**block, "fields": fields[:FIELDS_PER_SECTION]}]
    for start in range(FIELDS_PER_SECTION, len(fields), FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": fields[start : start + FIELDS_PER_SECTION]})
    return blocks


def buttons_block(buttons: Buttons) -> Block:
    elements = []
    for button in buttons.buttons:
        element: Block = {
            "type": "button",
            "text": {"type": "plain_text", "text": _clip(button.label, 75)},
            "action_id": button.action,
            "value": button.value or button.action,
        }
        if button.style != "default":
            element["style"] = button.style
        elements.append(element)
    return {"type": "actions", "elements": elements}


def message_blocks(message: Message) -> list[Block]:
    blocks: list[Block] = []
    for block in message.blocks:
        if isinstance(block, Section):
            blocks.extend(section_blocks(block))
        elif isinstance(block, Buttons):
            blocks.append(buttons_block(block))
    return blocks


def fallback_text(message: Message) -> str:
    """The notification text Slack shows where blocks cannot be (and screen readers read)."""
    lines: list[str] = []
    for block in message.blocks:
        if isinstance(block, Section):
            lines.append(render_text(block.text))
            lines.extend(f"{escape(label)}: {render_text(v)}" for label, v in block.fields)
    return _clip("\n".join(lines) or " ", 4000)


def message_payload(message: Message) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage / postEphemeral / update."""
    payload: dict[str, Any] = {"text": fallback_text(message), "blocks": message_blocks(message)}
    if message.key:
        payload["metadata"] = {"event_type": "revans_work", "event_payload": {"key": message.key}}
    return payload


def modal_view(form: Form, metadata: str | None = None) -> dict[str, Any]:
    """A form as a modal view for views.open; the form's action is its callback id.

    `metadata` (see `translate.form_metadata`) comes back with the submission and
    says where its answer belongs; each field is an input block whose block id and
    action id are the field's name.
    """
    blocks = [
        {
            "type": "input",
            "block_id": field.name,
            "label": {"type": "plain_text", "text": _clip(field.label, 2000)},
            "element": {
                "type": "plain_text_input",
                "action_id": field.name,
                "multiline": field.multiline,
                **({"initial_value": field.initial} if field.initial else {}),
            },
        }
        for field in form.fields
    ]
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": form.action,
        "title": {"type": "plain_text", "text": _clip_words(form.title, 24)},
        "submit": {"type": "plain_text", "text": _clip(form.submit, 24)},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }
    if metadata:
        view["private_metadata"] = metadata
    return view

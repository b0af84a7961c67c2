"""Pure rendering of neutral messages into Teams activities.

Simple messages (text and mentions only) become a markdown text message; anything
with a `Moment`, fields, buttons or a form becomes an Adaptive Card (schema 1.5,
what Teams renders everywhere). Mentions become `<at>name</at>` plus a `mention`
entity (on the activity for text, under `msteams.entities` for cards); Moments
become `{{DATE(iso, SHORT)}} {{TIME(iso)}}`, which Teams shows in each reader's zone.

Every string the core hands over may hold people's words (names, challenges, notes), so
each is made inert where Teams reads markdown (message text, TextBlock, FactSet): its
markdown punctuation is backslash-escaped (CommonMark), so it cannot make emphasis,
headings, lists, quotes or `[links](…)`; a `<` cannot open an `<at>` mention (as `&lt;`
in message text, which Teams reads as HTML; backslashed in a card, which shows text, not
HTML); `{{` cannot call DATE()/TIME(). Backticks are left alone: the core
writes commands as `code`, and a code span is inert by nature. Only the mentions and
moments the renderer itself writes are live.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC
from typing import Any

from adapters.teams.translate import FORM_ACTION, FORM_PLACE
from bot.messages import (
    TYPED_MENTION_START,
    Button,
    Buttons,
    Form,
    Inline,
    Mention,
    Message,
    Moment,
    Section,
    Text,
    without_bidi_controls,
)

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
PREFIX = "teams:"

NameOf = Callable[[str], str]
Json = dict[str, Any]


CARD_SPECIALS = re.compile(r"([\\&*_~\[\]{}<>#|])")
TEXT_SPECIALS = re.compile(r"([\\*_~\[\]{}#|])")
LINE_MARKERS = re.compile(r"^([ \t]*)([-+=])", re.MULTILINE)
ORDERED_MARKERS = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
LINE_STARTS = frozenset(" \t-+=0123456789")
"""What a line the two patterns above match can start with."""


# Replacements as functions: on Python 3.11 a template such as r"\\\1" is expanded by
# Python code for every match, several times slower (a help reply's text: 391 -> 106 µs).
def _escaped(match: re.Match[str]) -> str:
    return "\\" + match[1]


def _marker_escaped(match: re.Match[str]) -> str:
    return match[1] + "\\" + match[2]


def _line_markers(text: str) -> str:
    """Escape what makes a line a list item, rule or heading underline."""
    if "\n" not in text and text[:1] not in LINE_STARTS:
        return text  # one line, starting with none of what the markers start with
    return ORDERED_MARKERS.sub(_marker_escaped, LINE_MARKERS.sub(_marker_escaped, text))


def inert_card_text(text: str) -> str:
    """`text` as it must go into a card's TextBlock or FactSet to read as typed."""
    return _line_markers(CARD_SPECIALS.sub(_escaped, text))


def inert_message_text(text: str) -> str:
    """`text` as it must go into a Teams markdown message to read as typed."""
    html = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _line_markers(TEXT_SPECIALS.sub(_escaped, html))


def platform_id(user_id: str) -> str:
    """The id Teams accepts in a mention: the AAD object id (or Teams id) we wrapped."""
    return user_id.removeprefix(PREFIX)


def moment_expression(moment: Moment) -> str:
    iso = moment.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if moment.style == "date":
        return f"{{{{DATE({iso}, SHORT)}}}}"
    if moment.style == "time":
        return f"{{{{TIME({iso})}}}}"
    return f"{{{{DATE({iso}, SHORT)}}}} {{{{TIME({iso})}}}}"


class _Mentions:
    """Collects the mention entities a rendering needs, once per user; `inert` is how
    this rendering escapes strings (a display name is typed by its owner)."""

    def __init__(self, name_of: NameOf, inert: Callable[[str], str] = inert_card_text) -> None:
        self.name_of = name_of
        self.inert = inert
        self.entities: list[Json] = []
        self._seen: set[str] = set()

    def markup(self, mention: Mention) -> str:
        name = without_bidi_controls(self.name_of(mention.user_id))
        markup = f"<at>{self.inert(name)}</at>"
        if mention.user_id not in self._seen:
            self._seen.add(mention.user_id)
            self.entities.append(
                {
                    "type": "mention",
                    "text": markup,
                    "mentioned": {"id": platform_id(mention.user_id), "name": name},
                }
            )
        return markup


def render_inline(part: Inline, mentions: _Mentions) -> str:
    if isinstance(part, Mention):
        return mentions.markup(part)
    if isinstance(part, Moment):
        return moment_expression(part)
    # a typed `<@` is kept as `&lt;@` in the core: unescape it, then escape it as this
    # rendering does (a card shows text, not HTML; message text is HTML)
    return mentions.inert(part.replace(TYPED_MENTION_START, "<@"))


def render_text(text: Text, mentions: _Mentions) -> str:
    return "".join(render_inline(p, mentions) for p in text.parts)


def card_text(text: Text, mentions: _Mentions) -> str:
    return render_text(text, mentions)


def is_simple(message: Message) -> bool:
    return all(
        isinstance(block, Section)
        and not block.fields
        and not any(isinstance(p, Moment) for p in block.text.parts)
        for block in message.blocks
    )


def render_activity(message: Message, *, name_of: NameOf) -> Json:
    """The activity to send for `message` (without conversation addressing)."""
    if is_simple(message):
        mentions = _Mentions(name_of, inert_message_text)
        paragraphs = [
            render_text(b.text, mentions) for b in message.blocks if isinstance(b, Section)
        ]
        activity: Json = {"type": "message", "text": "\n\n".join(paragraphs)}
        activity["textFormat"] = "markdown"
        if mentions.entities:
            activity["entities"] = mentions.entities
        return activity
    return card_activity(card_for(message, _Mentions(name_of)))


def card_for(message: Message, mentions: _Mentions) -> Json:
    """Sections as text and facts; buttons as the card's actions, or, when the message has
    several rows of them (one per action in a combined nudge), each row as an `ActionSet`
    under the section it belongs to."""
    body: list[Json] = []
    actions: list[Json] = []
    inline = sum(isinstance(b, Buttons) for b in message.blocks) > 1
    for block in message.blocks:
        if isinstance(block, Section):
            body.append(text_block(card_text(block.text, mentions), message.kind == "error"))
            if block.fields:
                facts = [
                    {"title": inert_card_text(label), "value": card_text(value, mentions)}
                    for label, value in block.fields
                ]
                body.append({"type": "FactSet", "facts": facts})
        elif isinstance(block, Buttons) and inline:
            body.append({"type": "ActionSet", "actions": [submit_action(b) for b in block.buttons]})
        elif isinstance(block, Buttons):
            actions.extend(submit_action(b) for b in block.buttons)
    return adaptive_card(body, actions, mentions)


def text_block(text: str, attention: bool = False) -> Json:
    block: Json = {"type": "TextBlock", "text": text, "wrap": True}
    if attention:
        block["color"] = "attention"
    return block


def submit_action(button: Button) -> Json:
    action: Json = {
        "type": "Action.Submit",
        "title": button.label,
        "data": {"revans_action": button.action, "value": button.value},
    }
    if button.style != "default":
        action["style"] = "positive" if button.style == "primary" else "destructive"
    return action


def adaptive_card(body: list[Json], actions: list[Json], mentions: _Mentions) -> Json:
    card: Json = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    if mentions.entities:
        card["msteams"] = {"entities": mentions.entities}
    return card


def card_activity(card: Json) -> Json:
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card}],
    }


def render_form(form: Form, origin: str | None) -> Json:
    """A form as a card with inputs; submitting it posts the values back to the bot.

    Each field is an `Input.Text` whose id is the field's name; the submit's data
    carries the form's action and `origin`, the place the form was asked for in
    (sent to a 1:1 chat, which is not a set, the card must say where it belongs).
    Teams merges the inputs into the data: the submit's `value` holds both.
    """
    body: list[Json] = [text_block(inert_card_text(form.title))]
    for f in form.fields:
        body.append(
            {
                "type": "Input.Text",
                "id": f.name,
                "label": f.label,
                "isMultiline": f.multiline,
                "value": f.initial,
            }
        )
    data = {FORM_ACTION: form.action, FORM_PLACE: origin or ""}
    submit = {"type": "Action.Submit", "title": form.submit, "data": data}
    return card_activity(adaptive_card(body, [submit], _Mentions(lambda _: "")))

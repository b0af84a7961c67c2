"""Member text rendered for Teams is inert: it reads as typed and makes no markdown,
link, image, mention or DATE()/TIME() call, in every field of the neutral model that can
carry it (section text, field labels and values, display names, form titles).

Whether a string is inert is judged by a CommonMark parser (markdown-it-py): every inline
token must be plain text (or a line break) and the text must be what was planted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from adapters.teams.cards import (
    CARD_SPECIALS,
    LINE_MARKERS,
    ORDERED_MARKERS,
    _line_markers,
    inert_card_text,
    render_activity,
    render_form,
)
from bot.messages import (
    Button,
    Buttons,
    Form,
    FormField,
    Mention,
    Message,
    Section,
    Text,
)

HOSTILE_LINES = [
    "**bold** _it_ ~~gone~~ [click](https://evil.example) ![img](https://evil.example/i.png)",
    "<at>Farah</at> <https://evil.example> &lt;at&gt; \\* {{DATE(2026-01-01T00:00:00Z, SHORT)}}",
    "# heading",
    "> quote",
    "- item",
    "+ item",
    "1. first",
    "2) second",
    "---",
    "===",
    "| a | b |",
    "<b>html</b> <!-- c --> &amp; &#42;",
]
HOSTILE = "\n".join(HOSTILE_LINES)
HOSTILE_NAME = "Eve](https://evil.example) </at><at>Farah **x** {{TIME(2026-01-01T00:00:00Z)}}"
REAL = "teams:aad-farah"
EVE = "teams:aad-eve"

PARSER = MarkdownIt("commonmark")


def name_of(user_id: str) -> str:
    return {REAL: "Farah", EVE: HOSTILE_NAME}[user_id]


def shown(markdown: str) -> str:
    """What a CommonMark reader shows for `markdown`; fails if anything is not text."""
    blocks = PARSER.parse(markdown)
    kinds = [t.type for t in blocks]
    assert kinds == ["paragraph_open", "inline", "paragraph_close"], (markdown, kinds)
    pieces: list[str] = []
    for token in blocks[1].children or []:
        assert token.type in {"text", "softbreak"}, (markdown, token.type, token.content)
        pieces.append("\n" if token.type == "softbreak" else token.content)
    return "".join(pieces)


def assert_inert(rendered: str, planted: str) -> None:
    assert shown(rendered) == planted
    assert "{{" not in rendered and "<at>" not in rendered


def every_fields_message() -> Message:
    return Message(
        (
            Section(
                Text.of(HOSTILE),
                ((HOSTILE, Text.of(HOSTILE)), ("who", Text.of(Mention(EVE)))),
            ),
            Buttons((Button(HOSTILE, "agree", HOSTILE),)),
        )
    )


def card_strings(card: Any) -> Iterator[tuple[str, str]]:
    """(kind, string) for every string a card shows: markdown-bearing or plain."""
    if isinstance(card, list):
        for item in card:
            yield from card_strings(item)
    elif isinstance(card, dict):
        kind = card.get("type")
        if kind == "TextBlock":
            yield "markdown", card["text"]
        if kind == "FactSet":
            for fact in card["facts"]:
                yield "markdown", fact["title"]
                yield "markdown", fact["value"]
        if kind == "Input.Text":
            yield "plain", card["label"]
            yield "plain", card["value"]
        if kind == "Action.Submit":
            yield "plain", card["title"]
        for key, value in card.items():
            if key not in {"msteams", "facts"}:
                yield from card_strings(value)


def test_every_markdown_field_of_a_card_is_inert() -> None:
    card = render_activity(every_fields_message(), name_of=name_of)["attachments"][0]["content"]
    strings = list(card_strings(card))
    markdown = [s for kind, s in strings if kind == "markdown"]
    assert len(markdown) == 5  # the section text, a label and value, a label and a mention
    text, label, value, who_label, who = markdown
    for rendered in (text, label, value):
        assert_inert(rendered, HOSTILE)
    assert who_label == "who"
    # the one live mention is the one the renderer wrote; the name inside it is inert
    assert who.startswith("<at>") and who.endswith("</at>")
    assert_inert(who.removeprefix("<at>").removesuffix("</at>"), HOSTILE_NAME)
    (entity,) = card["msteams"]["entities"]
    assert entity["text"] == who and entity["mentioned"] == {"id": "aad-eve", "name": HOSTILE_NAME}
    # a button's title and value are plain text to Teams: they carry the words as typed
    (action,) = card["actions"]
    assert action["title"] == HOSTILE and action["data"]["value"] == HOSTILE


def test_message_text_is_inert_and_only_the_renderers_mention_is_live() -> None:
    message = Message.text(HOSTILE, " ", Mention(REAL), " ", Mention(EVE))
    activity = render_activity(message, name_of=name_of)
    text = activity["text"]
    assert activity["textFormat"] == "markdown"
    real = "<at>Farah</at>"
    assert text.count("<at>") == 2  # the two the renderer wrote, none planted
    hostile, _, eve = text.partition(f" {real} ")
    assert_inert(hostile, HOSTILE)
    assert eve.startswith("<at>") and eve.endswith("</at>")
    assert_inert(eve.removeprefix("<at>").removesuffix("</at>"), HOSTILE_NAME)
    assert [e["text"] for e in activity["entities"]] == [real, eve]


def test_a_form_title_is_inert_and_its_inputs_plain() -> None:
    form = Form("challenge", HOSTILE, (FormField("text", HOSTILE, True, HOSTILE),), HOSTILE)
    card = render_form(form, "teams:19:ward@thread.tacv2")["attachments"][0]["content"]
    strings = list(card_strings(card))
    assert [kind for kind, _ in strings] == ["markdown", "plain", "plain", "plain"]
    assert_inert(strings[0][1], HOSTILE)
    assert all(s == HOSTILE for kind, s in strings if kind == "plain")


@pytest.mark.parametrize("line", HOSTILE_LINES)
def test_each_hostile_line_alone_is_inert_in_a_card_and_in_text(line: str) -> None:
    card = render_activity(
        Message((Section(Text.of(line), (("by", Text.of(line)),)),)), name_of=name_of
    )["attachments"][0]["content"]
    assert_inert(card["body"][0]["text"], line)
    assert_inert(card["body"][1]["facts"][0]["value"], line)
    assert_inert(render_activity(Message.text(line), name_of=name_of)["text"], line)


def test_ordinary_words_and_the_cores_commands_read_unchanged() -> None:
    text = render_activity(Message.text("Commit with `commit TEXT by Friday`."), name_of=name_of)
    assert text["text"] == "Commit with `commit TEXT by Friday`."


@given(st.text(alphabet=" \t\n-+=.)#*_0123456789ab&<>[]|~\\", max_size=40))
def test_the_quick_paths_escape_exactly_what_the_patterns_alone_escape(text: str) -> None:
    """`_line_markers` skips its patterns for a one-line text that cannot start a marker;
    the result is the same as running them."""
    by_patterns = ORDERED_MARKERS.sub(r"\1\\\2", LINE_MARKERS.sub(r"\1\\\2", text))
    assert _line_markers(text) == by_patterns
    assert inert_card_text(text) == _line_markers(CARD_SPECIALS.sub(r"\\\1", text))

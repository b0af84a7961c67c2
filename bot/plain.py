"""Plain-text rendering of neutral messages (console, demo, logs-free tests)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.messages import (
    TYPED_MENTION_START,
    Buttons,
    Inline,
    Mention,
    Message,
    Moment,
    Section,
    Text,
    without_bidi_controls,
)

NameOf = Callable[[str], str]


def render_inline(part: Inline, *, name_of: NameOf, tz: str) -> str:
    if isinstance(part, Mention):
        return f"@{without_bidi_controls(name_of(part.user_id))}"
    if isinstance(part, Moment):
        return format_moment(part.at, part.style, tz)
    return part.replace(TYPED_MENTION_START, "<@")


def format_moment(at: datetime, style: str, tz: str) -> str:
    local = at.astimezone(ZoneInfo(tz))
    if style == "date":
        return local.strftime("%a %d %b %Y")
    if style == "time":  # with its zone: a plain-text reader may not know whose time it is
        return local.strftime("%H:%M ") + (local.tzname() or tz)
    return local.strftime("%a %d %b %Y %H:%M ") + (local.tzname() or tz)


def render_text(text: Text, *, name_of: NameOf, tz: str) -> str:
    return "".join(render_inline(p, name_of=name_of, tz=tz) for p in text.parts)


def render_message(message: Message, *, name_of: NameOf, tz: str = "UTC") -> str:
    lines: list[str] = []
    for block in message.blocks:
        if isinstance(block, Section):
            lines.append(render_text(block.text, name_of=name_of, tz=tz))
            for label, value in block.fields:
                lines.append(f"  {label}: {render_text(value, name_of=name_of, tz=tz)}")
        elif isinstance(block, Buttons):
            lines.append("  " + "  ".join(f"[{b.label}]" for b in block.buttons))
    return "\n".join(lines)

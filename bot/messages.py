"""The neutral message model the core speaks; adapters render it natively.

Inline content is plain text plus two tokens that every platform renders for its
reader: a `Mention` of a user and a `Moment` in time (shown in the reader's own
time zone: Slack's date token, Adaptive Cards' DATE()/TIME()).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

MENTION_TOKEN = re.compile(r"<@([^<>\s]+)>")
"""How a mention travels inside inbound text once an adapter has neutralised it."""


TYPED_MENTION_START = "&lt;@"
"""How inbound text keeps a `<@` the person typed (adapters escape it, so typed text can
never pass for a mention token); renderers show it as the `<@` that was typed."""

BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
"""Invisible bidirectional controls (embeddings, overrides, isolates, marks): with them a
name or text shown to others can be made to read backwards."""


def mention_token(user_id: str) -> str:
    """The neutral inline token for a mention of `user_id` in inbound text."""
    return f"<@{user_id}>"


BIDI_CONTROL = re.compile("[" + "".join(map(chr, BIDI_CONTROLS)) + "]")


def without_bidi_controls(text: str) -> str:
    # Searching first is fifteen times faster than translating text that has none.
    return text.translate(BIDI_CONTROLS) if BIDI_CONTROL.search(text) else text


def inline_parts(text: str) -> tuple[Inline, ...]:
    """Text that may carry people's words, as inline parts others may see: without bidi
    controls, and each neutral mention token as a `Mention` (rendered natively)."""
    chunks = MENTION_TOKEN.split(without_bidi_controls(text))
    # split() with one group alternates: text, user id, text, …
    return tuple(Mention(c) if i % 2 else c for i, c in enumerate(chunks) if i % 2 or c)


@dataclass(frozen=True)
class Mention:
    user_id: str


@dataclass(frozen=True)
class Moment:
    """A moment in time; `at` must be timezone-aware."""

    at: datetime
    style: Literal["date", "time", "datetime"] = "datetime"

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("Moment needs an aware datetime")


Inline = str | Mention | Moment


@dataclass(frozen=True)
class Text:
    """Inline parts; plain-text parts are normalised by `inline_parts` when the text is
    made, so every renderer shows mentions inside people's words and no bidi controls."""

    parts: tuple[Inline, ...]

    def __post_init__(self) -> None:
        if any(isinstance(part, str) for part in self.parts):
            parts = (
                piece
                for part in self.parts
                for piece in (inline_parts(part) if isinstance(part, str) else (part,))
            )
            object.__setattr__(self, "parts", tuple(parts))

    @classmethod
    def of(cls, *parts: Inline) -> Text:
        return cls(tuple(parts))


@dataclass(frozen=True)
class Section:
    """A paragraph, optionally with label/value fields beneath it."""

    text: Text
    fields: tuple[tuple[str, Text], ...] = ()


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str = ""
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    multiline: bool = False
    initial: str = ""


@dataclass(frozen=True)
class Form:
    """A form (Slack modal, Teams task module) the member fills in."""

    action: str
    title: str
    fields: tuple[FormField, ...]
    submit: str = "Save"


Block = Section | Buttons


@dataclass(frozen=True)
class Attachment:
    """A file sent with a private or direct message (e.g. a member's data export)."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Message:
    blocks: tuple[Block, ...]
    kind: Literal["info", "error"] = "info"
    key: str | None = None
    """Idempotency key of the work that produced it (travels as message metadata)."""
    attachment: Attachment | None = None
    """A file for the reader: sent (Slack upload, Teams file consent) before the text, to
    a `Private` or `Direct` audience only; where the platform cannot send files, the
    reader is told so instead (`bot.delivery`)."""

    @classmethod
    def text(cls, *parts: Inline, kind: Literal["info", "error"] = "info") -> Message:
        return cls((Section(Text(tuple(parts))),), kind=kind)

    @classmethod
    def paragraphs(cls, paragraphs: Iterable[Text]) -> Message:
        return cls(tuple(Section(p) for p in paragraphs))


# Audiences: who sees an outgoing message.


@dataclass(frozen=True)
class Private:
    """Only `user_id` sees it, in the place they spoke (Slack ephemeral, Teams 1:1).

    `thread_id`: a platform ref of the thread it belongs in (Slack shows the ephemeral
    there, and sends it as a direct message if it cannot show it in the place)."""

    user_id: str
    place_id: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class Public:
    """Everyone in the place sees it (optionally in a thread / reply chain).

    `thread_id` is a platform ref the core already knows (e.g. from an inbound message);
    `thread_of` names a message by the key it was remembered under (`Outgoing.remember`),
    for a thread whose root was posted after an earlier transaction: the sender resolves
    it to a ref (`bot.delivery.deliver`), and posts at the top level if it cannot."""

    place_id: str
    thread_id: str | None = None
    thread_of: str | None = None


@dataclass(frozen=True, kw_only=True)
class Update(Public):
    """Replace, in place, the message remembered under the key `remembered` (Slack
    `chat.update`, Teams activity update).

    An update *is* a public post in `place_id` to anyone who cannot resolve the key —
    the message was never sent, its ref was lost, or the sender does not know updates
    yet — so it degrades to a new post, never to silence or a crash. Build it as
    `Update(place_id, remembered=key)`."""

    remembered: str


@dataclass(frozen=True)
class Direct:
    """A direct message to one user."""

    user_id: str


Audience = Private | Public | Direct
"""`Update` is a `Public` (see there): test for it before `Public`."""


@dataclass(frozen=True)
class Outgoing:
    to: Audience
    message: Message
    outbox_id: str | None = None
    """Set once the item is queued in the outbox (see `bot.outbox`): mark it sent by this."""
    remember: str | None = None
    """A key (e.g. "round:ID") under which the sender stores the platform's ref of the
    posted message (`bot.ports.MessageRefs`), so a later `Update` or `Public.thread_of`
    can name it. Only public posts and direct messages have refs to remember."""


@dataclass(frozen=True)
class OpenForm:
    """Ask the platform to open `form` for `user_id` (Slack modal, Teams task module).

    `trigger` is the platform's handle for the interaction that asked (Slack
    trigger_id), if the adapter had one; see `bot.context.Context.trigger`.
    """

    user_id: str
    form: Form
    trigger: str | None = None
    outbox_id: str | None = None
    """Set once the item is queued in the outbox (see `bot.outbox`)."""


@dataclass(frozen=True)
class Outcome:
    """What a use case wants said, in order, and any forms it wants opened."""

    messages: tuple[Outgoing, ...] = field(default_factory=tuple)
    forms: tuple[OpenForm, ...] = ()

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.messages + other.messages, self.forms + other.forms)

    @property
    def outbox_ids(self) -> list[str]:
        """The outbox ids of the items that have one, forms first (the sending order)."""
        items: list[Outgoing | OpenForm] = [*self.forms, *self.messages]
        return [i.outbox_id for i in items if i.outbox_id is not None]

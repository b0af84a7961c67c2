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


def mention_token(user_id: str) -> str:
    """The neutral inline token for a mention of `user_id` in inbound text."""
    return f"<@{user_id}>"


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
    parts: tuple[Inline, ...]

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
class Message:
    blocks: tuple[Block, ...]
    kind: Literal["info", "error"] = "info"
    key: str | None = None
    """Idempotency key of the work that produced it (travels as message metadata)."""

    @classmethod
    def text(cls, *parts: Inline, kind: Literal["info", "error"] = "info") -> Message:
        return cls((Section(Text(tuple(parts))),), kind=kind)

    @classmethod
    def paragraphs(cls, paragraphs: Iterable[Text]) -> Message:
        return cls(tuple(Section(p) for p in paragraphs))


# Audiences: who sees an outgoing message.


@dataclass(frozen=True)
class Private:
    """Only `user_id` sees it, in the place they spoke (Slack ephemeral, Teams 1:1)."""

    user_id: str
    place_id: str | None = None


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

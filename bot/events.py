"""Neutral events from the platforms: messages posted, edited or deleted in a place, and
Revans added to one.

Adapters build these after neutralising mentions; the core never sees a payload.
`message_id` is the platform's key for the message within the place (a Slack `ts`,
a Teams activity id); `thread_id` is the key of the thread's root, if any.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Actor, Place


@dataclass(frozen=True)
class MessagePosted:
    place: Place
    author: Actor
    message_id: str
    text: str
    thread_id: str | None = None


@dataclass(frozen=True)
class MessageEdited:
    place: Place
    message_id: str
    text: str


@dataclass(frozen=True)
class MessageDeleted:
    place: Place
    message_id: str


@dataclass(frozen=True)
class AppAdded:
    """Revans was added to a place: a channel's team, a group chat, a person's 1:1 chat.

    `bot_name` is how people address it there (`@Revans …`)."""

    place: Place
    bot_name: str = "Revans"


Event = MessagePosted | MessageEdited | MessageDeleted | AppAdded

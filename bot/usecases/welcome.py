"""The welcome Revans says once when it is added to a place (`bot.events.AppAdded`): what
it is and how to start. The adapter sees to "once" (Teams announces one installation
twice: a conversation update and an installation update)."""

from __future__ import annotations

from datetime import datetime

from bot.events import AppAdded
from bot.messages import Message, Outcome, Outgoing, Public
from bot.model import PlaceKind
from bot.ports import UnitOfWork

WHAT = (
    "Revans runs action learning sets: a presenter brings a real work problem, the others "
    "ask open questions (not advice), and each commits to an action and reports back next time."
)


def welcome_text(event: AppAdded) -> str:
    mention = f"@{event.bot_name}"
    if event.place.kind is PlaceKind.PERSONAL:
        return (
            f"Hello, I'm {event.bot_name}. {WHAT} I'll write to you here privately: answers, "
            f"reminders and nudges. To start a set, write `{mention} create Ward leaders` in a "
            "channel or group chat; here, type `help` for everything I understand."
        )
    return (
        f"Hello, I'm {event.bot_name}. {WHAT} To make this place a set, write "
        f"`{mention} create Ward leaders`; `{mention} help` lists everything I understand."
    )


async def welcome(event: AppAdded, *, uow: UnitOfWork, now: datetime) -> Outcome:
    """One short public message in the place Revans was added to."""
    del uow, now  # nothing is stored: a welcome is only said
    return Outcome((Outgoing(Public(event.place.id), Message.text(welcome_text(event))),))

"""The answer of a verb that parses today and whose behaviour is built next."""

from __future__ import annotations

from bot.commands import Command
from bot.messages import Message, Outcome
from bot.usecases.replies import private
from bot.verbs import Turn


async def coming_soon(cmd: Command, turn: Turn) -> Outcome:
    """Answer privately; nothing is stored (the dispatcher still commits the speaker's
    name, as for any command)."""
    return private(
        turn.ctx,
        Message.text("I understood that, but it is not built yet: it is coming soon."),
    )

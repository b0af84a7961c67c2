"""Commands that parse today and whose behaviour later work builds."""

from __future__ import annotations

from datetime import datetime

from bot.commands import Command
from bot.context import Context
from bot.messages import Message, Outcome
from bot.ports import UnitOfWork
from bot.usecases.replies import private


async def coming_soon(cmd: Command, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    """Answer privately; nothing is stored (the dispatcher still commits the speaker's
    name, as for any command)."""
    return private(
        ctx,
        Message.text("I understood that, but it is not built yet: it is coming soon."),
    )

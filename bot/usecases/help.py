"""The `help` verb."""

from __future__ import annotations

from datetime import datetime

from bot.commands import Help
from bot.context import Context
from bot.help import help_text
from bot.messages import Message, Outcome, Text
from bot.ports import UnitOfWork
from bot.usecases.replies import private


async def show_help(cmd: Help, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    message = Message.paragraphs(Text.of(line) for line in help_text(cmd.topic))
    return private(ctx, message)

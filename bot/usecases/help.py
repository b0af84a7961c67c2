"""The `help` verb: usage with examples, read from the verb records."""

from __future__ import annotations

from bot.commands import Command, Help
from bot.help import help_text
from bot.messages import Message, Outcome, Text
from bot.permissions import PERSONAL
from bot.usecases.replies import private
from bot.verbs import Route, Turn, Usage, Verb


def parse_help(args: list[str]) -> Command:
    return Help(args[0].lower() if args else None)


async def show_help(cmd: Help, turn: Turn) -> Outcome:
    message = Message.paragraphs(Text.of(line) for line in help_text(turn.verbs, cmd.topic))
    return private(turn.ctx, message)


VERBS = (
    Verb(
        "help",
        parse_help,
        Usage("help [topic]", "usage, with examples", "help schedule"),
        (Route(Help, PERSONAL, show_help),),
    ),
)

"""The command grammar: the same words on every platform, parsed into typed commands.

Input arrives with mentions already neutralised by the adapter (see
`bot.messages.MENTION_TOKEN`). Every failure is a `GrammarError` that names the
problem and carries a correct example; nothing else escapes `parse`.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Callable

from bot.commands import Command, CreateSet, Help, JoinSet, LeaveSet, ListMembers
from bot.errors import GrammarError
from bot.help import USAGES, example_for

Parser = Callable[[list[str]], Command]


def _no_args(verb: str, build: Callable[[], Command]) -> Parser:
    def parse(args: list[str]) -> Command:
        if args:
            raise GrammarError(f"`{verb}` takes no words after it.", example=example_for(verb))
        return build()

    return parse


def _help(args: list[str]) -> Command:
    return Help(args[0].lower() if args else None)


def _create(args: list[str]) -> Command:
    name = " ".join(args).strip()
    if len(name) > 80:
        raise GrammarError(
            "A set name can be at most 80 characters.", example=example_for("create")
        )
    return CreateSet(name or None)


PARSERS: dict[str, Parser] = {
    "help": _help,
    "create": _create,
    "join": _no_args("join", JoinSet),
    "leave": _no_args("leave", LeaveSet),
    "members": _no_args("members", ListMembers),
}


def tokenize(text: str) -> list[str]:
    try:
        return shlex.split(text.strip())
    except ValueError as exc:  # an unbalanced quote
        raise GrammarError(
            f"I could not read that: {exc}. Close every quote you open.",
            example='challenge "Getting two wards to share one rota"',
        ) from exc


def parse(text: str) -> Command:
    words = tokenize(text)
    if not words:
        return Help()
    verb, args = words[0].lower(), words[1:]
    parser = PARSERS.get(verb)
    if parser is None:
        raise unknown_verb(verb)
    return parser(args)


def unknown_verb(verb: str) -> GrammarError:
    close = difflib.get_close_matches(verb, USAGES.keys(), n=1, cutoff=0.6)
    if close:
        return GrammarError(
            f"I don't know “{verb}”. Did you mean `{close[0]}`?", example=example_for(close[0])
        )
    return GrammarError(f"I don't know “{verb}”. Try `help` for the commands.", example="help")

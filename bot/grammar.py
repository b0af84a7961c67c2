"""The command grammar: the same words on every platform, parsed into typed commands.

Input arrives with mentions already neutralised by the adapter (see
`bot.messages.MENTION_TOKEN`). Every failure is a `GrammarError` that names the
problem and carries a correct example; nothing else escapes `parse`. Verb
parsers live in `bot.parsing`; this module splits words and picks the verb.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from bot.commands import Command, CreateSet, Help, JoinSet, LeaveSet, ListMembers
from bot.errors import GrammarError
from bot.help import USAGES, example_for
from bot.parsing import later, preferences, roster, schedule

Parser = Callable[[list[str]], Command]

QUOTES = {'"': '"', "“": "”", "”": "”"}
MAX_INPUT = 4000


def _no_args(verb: str, build: Callable[[], Command]) -> Parser:
    def parse(args: list[str]) -> Command:
        roster.no_args(verb, args)
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
    "agree": roster.parse_agree,
    "agreement": roster.parse_agreement,
    "add": roster.parse_add,
    "remove": roster.parse_remove,
    "invite": roster.parse_invite,
    "sponsor": roster.parse_sponsor,
    "challenge": roster.parse_challenge,
    "goal": roster.parse_goal,
    "close": roster.parse_close,
    "schedule": schedule.parse_schedule,
    "bid": schedule.parse_bid,
    "settings": preferences.parse_settings,
    "options": preferences.parse_options,
    "meeting": later.parse_meeting,
    "round": later.parse_round,
    "commit": later.parse_commit,
    "actions": later.parse_actions,
    "done": later.parse_update("done"),
    "progress": later.parse_update("progress"),
    "drop": later.parse_update("drop"),
    "share": later.parse_share,
    "report": later.parse_report,
    "log": later.parse_log,
    "mydata": later.parse_mydata,
}


def tokenize(text: str) -> list[str]:
    """Split on white space; "double" or “curly” quotes group words. Apostrophes are
    ordinary letters (people write "can't" in challenges)."""
    tokens: list[str] = []
    quoted: list[str] | None = None
    closing = ""
    for word in text.split():
        if quoted is not None:
            quoted.append(word)
            if word.endswith(closing):
                tokens.append(" ".join(quoted)[1:-1].strip())
                quoted = None
        elif word[0] in QUOTES and len(word) > 1 and word.endswith(QUOTES[word[0]]):
            tokens.append(word[1:-1])
        elif word[0] in QUOTES:
            quoted, closing = [word], QUOTES[word[0]]
        else:
            tokens.append(word)
    if quoted is not None:
        raise GrammarError(
            "I could not read that: a quote was opened but not closed.",
            example='challenge "Getting two wards to share one rota"',
        )
    return tokens


def parse(text: str) -> Command:
    if len(text) > MAX_INPUT:
        raise GrammarError(
            f"That is {len(text)} characters; commands are at most {MAX_INPUT}.", example="help"
        )
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

"""The command grammar: the same words on every platform, parsed into typed commands.

Input arrives with mentions already neutralised by the adapter (see
`bot.messages.MENTION_TOKEN`). Every failure is a `GrammarError` that names the
problem and carries a correct example; nothing else escapes `parse`. Verb
records (`bot.verbs`) carry their parsers; this module splits words and picks the verb.
"""

from __future__ import annotations

import difflib

from bot.commands import Command, Help
from bot.errors import GrammarError
from bot.verbs import Registry

QUOTES = {'"': '"', "“": "”", "”": "”"}
MAX_INPUT = 4000


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


def parse(verbs: Registry, text: str) -> Command:
    """Read `text` with the verbs of `verbs`; every failure is a `GrammarError` whose
    example is the verb's own unless the parser named a better one."""
    if len(text) > MAX_INPUT:
        raise GrammarError(
            f"That is {len(text)} characters; commands are at most {MAX_INPUT}.", example="help"
        )
    words = tokenize(text)
    if not words:
        return Help()
    name, args = words[0].lower(), words[1:]
    verb = verbs.verb(name)
    if verb is None:
        raise unknown_verb(verbs, name)
    try:
        return verb.parse(args)
    except GrammarError as exc:
        if exc.example is None:
            exc.example = verb.usage.example
        raise


def unknown_verb(verbs: Registry, name: str) -> GrammarError:
    close = difflib.get_close_matches(name, verbs.names, n=1, cutoff=0.6)
    if close:
        return GrammarError(
            f"I don't know “{name}”. Did you mean `{close[0]}`?",
            example=verbs.example_for(close[0]),
        )
    return GrammarError(f"I don't know “{name}”. Try `help` for the commands.", example="help")

"""Person-wide verbs: `log` and `mydata`."""

from __future__ import annotations

from typing import Literal, cast

from bot.commands import Command, LogEntry, LogExport, MyData
from bot.errors import GrammarError
from bot.parsing.words import (
    choice,
    free_text,
)


def parse_log(args: list[str]) -> Command:
    if [a.lower() for a in args] == ["export"]:
        return LogExport()
    text = free_text(args, "log")
    if not text:
        raise GrammarError("Write what you want to keep in your log.", example=None)
    return LogEntry(text)


def parse_mydata(args: list[str]) -> Command:
    action = choice(args, "mydata", ("export", "erase"))
    return MyData(cast(Literal["export", "erase"], action))

"""Person-wide verbs: `log`, `checkin` and `mydata`."""

from __future__ import annotations

from typing import Literal, cast

from bot.commands import CheckinAnswer, Command, LogEntry, LogExport, MyData, ShowCheckin
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
    if [a.lower() for a in args] == ["erase", "confirm"]:
        return MyData("erase confirm")
    action = choice(args, "mydata", ("export", "erase"))
    return MyData(cast(Literal["export", "erase"], action))


CHECKIN_QUESTIONS = ("steps", "next")


def parse_checkin(args: list[str]) -> Command:
    if not args:
        return ShowCheckin()
    question = args[0].lower()
    if question not in CHECKIN_QUESTIONS:
        raise GrammarError(
            "Start your answer with `steps` (what you did last week) or `next` (your focus "
            "for next week).",
            example=None,
        )
    text = free_text(args[1:], "checkin")
    if not text:
        raise GrammarError(f"Write your answer after `checkin {question}`.", example=None)
    return CheckinAnswer(cast(Literal["steps", "next"], question), text)

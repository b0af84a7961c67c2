"""Verbs whose behaviour later work builds (meetings, rounds, actions, sharing, logs,
data). They parse fully now, so mistakes are answered today."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from bot.commands import (
    Command,
    CommitAction,
    ListActions,
    LogEntry,
    LogExport,
    MeetingEnd,
    MeetingStart,
    MyData,
    Report,
    RoundExtend,
    RoundStart,
    RoundStatus,
    RoundSteer,
    ShareAction,
    ShareMeeting,
    UpdateAction,
)
from bot.errors import GrammarError
from bot.help import example_for
from bot.parsing.dates import check_date
from bot.parsing.roster import free_text, no_args
from bot.parsing.words import duration, mention, require_mention, whole_number

STEERS = ("next", "pause", "resume", "end")


def _choice(args: list[str], verb: str, choices: tuple[str, ...]) -> str:
    if len(args) != 1 or args[0].lower() not in choices:
        options = " | ".join(choices)
        raise GrammarError(f"`{verb}` takes one of: {options}.", example=example_for(verb))
    return args[0].lower()


def parse_meeting(args: list[str]) -> Command:
    return MeetingStart() if _choice(args, "meeting", ("start", "end")) == "start" else MeetingEnd()


def parse_round(args: list[str]) -> Command:
    example = example_for("round")
    action = args[0].lower() if args else ""
    if action == "start":
        return _round_start(args[1:])
    if action == "extend":
        if len(args) != 2:
            raise GrammarError(
                "Say how much longer: `round extend 10m`.", example="round extend 10m"
            )
        return RoundExtend(duration(args[1], example="round extend 10m"))
    if action in (*STEERS, "status"):
        no_args(f"round {action}", args[1:])
        if action == "status":
            return RoundStatus()
        return RoundSteer(cast(Literal["next", "pause", "resume", "end"], action))
    raise GrammarError(
        "`round` takes start, next, pause, resume, extend N(m|h|d), end or status.",
        example=example,
    )


def _round_start(args: list[str]) -> Command:
    example = "round start @amara live 45m"
    presenter = None
    if args and mention(args[0]) is not None:
        presenter, args = mention(args[0]), args[1:]
    if not args:
        return RoundStart(presenter)
    mode = args[0].lower()
    if mode not in ("live", "async") or len(args) > 2:
        raise GrammarError("After the presenter: `live Nm` or `async Nh|Nd`.", example=example)
    length = duration(args[1], example=example) if len(args) == 2 else None
    return RoundStart(presenter, cast(Literal["live", "async"], mode), length)


def parse_commit(args: list[str]) -> Command:
    example = example_for("commit")
    lowered = [a.lower() for a in args]
    by = None
    if "by" in lowered:
        at = len(lowered) - 1 - lowered[::-1].index("by")
        by, args = check_date(args[at + 1 :], example=example), args[:at]
    text = free_text(args, "commit")
    if not text:
        raise GrammarError("Say what you will do.", example=example)
    return CommitAction(text, by)


def parse_actions(args: list[str]) -> Command:
    example = example_for("actions")
    if not args:
        return ListActions()
    if len(args) == 1 and args[0].lower() in ("mine", "all"):
        return ListActions(cast(Literal["mine", "all"], args[0].lower()))
    if len(args) == 1:
        return ListActions("member", require_mention(args[0], example=example))
    raise GrammarError("`actions` takes mine, all or one @mention.", example=example)


def _numbered(verb: str, args: list[str], *, note_required: bool) -> tuple[int, str | None]:
    example = example_for(verb)
    if not args:
        raise GrammarError("Say which action, by its number in `actions`.", example=example)
    number = whole_number(args[0], "The action number", low=1, high=9999, example=example)
    note = free_text(args[1:], verb)
    if note_required and not note:
        raise GrammarError(f"`{verb}` needs a note after the number.", example=example)
    return number, note


def parse_update(kind: Literal["done", "progress", "drop"]) -> Callable[[list[str]], Command]:
    def parse(args: list[str]) -> Command:
        number, note = _numbered(kind, args, note_required=kind == "progress")
        return UpdateAction(kind, number, note)

    return parse


def parse_share(args: list[str]) -> Command:
    if args and args[0].lower() == "meeting":
        return ShareMeeting(free_text(args[1:], "share"))
    number, note = _numbered("share", args, note_required=False)
    return ShareAction(number, note)


def parse_report(args: list[str]) -> Command:
    no_args("report", args)
    return Report()


def parse_log(args: list[str]) -> Command:
    if [a.lower() for a in args] == ["export"]:
        return LogExport()
    text = free_text(args, "log")
    if not text:
        raise GrammarError("Write what you want to keep in your log.", example=example_for("log"))
    return LogEntry(text)


def parse_mydata(args: list[str]) -> Command:
    action = _choice(args, "mydata", ("export", "erase"))
    return MyData(cast(Literal["export", "erase"], action))

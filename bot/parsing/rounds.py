"""`meeting` and `round`: opening and closing meetings, steering rounds."""

from __future__ import annotations

from typing import Literal, cast

from bot.commands import (
    Command,
    MeetingEnd,
    MeetingStart,
    RoundExtend,
    RoundStart,
    RoundStatus,
    RoundSteer,
)
from bot.errors import GrammarError
from bot.parsing.words import (
    choice,
    duration,
    mention,
    no_args,
)

STEERS = ("next", "pause", "resume", "end")


def parse_meeting(args: list[str]) -> Command:
    return MeetingStart() if choice(args, "meeting", ("start", "end")) == "start" else MeetingEnd()


def parse_round(args: list[str]) -> Command:
    example: str | None = None
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

"""`commit`, `actions`, `done`, `progress`, `drop` and `share`: members' actions."""

from __future__ import annotations

from typing import Literal, cast

from bot.commands import (
    Command,
    CommitAction,
    DropAction,
    ListActions,
    MarkDone,
    NoteProgress,
    ShareAction,
    ShareMeeting,
)
from bot.errors import GrammarError
from bot.parsing.dates import check_date
from bot.parsing.words import (
    free_text,
    require_mention,
    whole_number,
)


def parse_commit(args: list[str]) -> Command:
    example: str | None = None
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
    example: str | None = None
    if not args:
        return ListActions()
    if len(args) == 1 and args[0].lower() in ("mine", "all"):
        return ListActions(cast(Literal["mine", "all"], args[0].lower()))
    if len(args) == 1:
        return ListActions("member", require_mention(args[0], example=example))
    raise GrammarError("`actions` takes mine, all or one @mention.", example=example)


def _numbered(verb: str, args: list[str], *, note_required: bool) -> tuple[int, str | None]:
    example: str | None = None
    if not args:
        raise GrammarError("Say which action, by its number in `actions`.", example=example)
    number = whole_number(args[0], "The action number", low=1, high=9999, example=example)
    note = free_text(args[1:], verb)
    if note_required and not note:
        raise GrammarError(f"`{verb}` needs a note after the number.", example=example)
    return number, note


def parse_done(args: list[str]) -> Command:
    return MarkDone(*_numbered("done", args, note_required=False))


def parse_progress(args: list[str]) -> Command:
    number, note = _numbered("progress", args, note_required=True)
    assert note is not None
    return NoteProgress(number, note)


def parse_drop(args: list[str]) -> Command:
    return DropAction(*_numbered("drop", args, note_required=False))


def parse_share(args: list[str]) -> Command:
    if args and args[0].lower() == "meeting":
        return ShareMeeting(free_text(args[1:], "share"))
    number, note = _numbered("share", args, note_required=False)
    return ShareAction(number, note)

"""`report`: the facilitator's report, or a member's report-back on one of their actions.

`report` alone is the facilitator's report. `report N done|partly|not done [what
happened]` answers the report-back on action N; `report N held REASON [in my words]`
says, for an action not done, what held them back (one of `REASONS`).
"""

from __future__ import annotations

from typing import Literal, cast

from bot.commands import Command, Report, ReportHeldBack, ReportOn
from bot.errors import GrammarError
from bot.parsing.words import free_text, whole_number

REASONS = ("time", "authority", "politics", "risk", "priorities", "other")
ON_EXAMPLE = "report 2 partly met the rota team, not yet the board"
HELD_EXAMPLE = "report 2 held time the audit took my week"


def parse_report(args: list[str]) -> Command:
    if not args:
        return Report()
    number = whole_number(args[0], "The action number", low=1, high=9999, example=ON_EXAMPLE)
    words = [a.lower() for a in args[1:3]]
    if words[:1] == ["held"]:
        if len(args) < 3 or args[2].lower() not in REASONS:
            raise GrammarError(
                f"After `held`, say what held you back: {' | '.join(REASONS)}.",
                example=HELD_EXAMPLE,
            )
        reason = cast(
            Literal["time", "authority", "politics", "risk", "priorities", "other"],
            args[2].lower(),
        )
        return ReportHeldBack(number, reason, free_text(args[3:], "report"))
    if words[:1] in (["done"], ["partly"]):
        outcome = cast(Literal["done", "partly"], words[0])
        return ReportOn(number, outcome, free_text(args[2:], "report"))
    if words == ["not", "done"]:
        return ReportOn(number, "not done", free_text(args[3:], "report"))
    if words[:1] in (["notdone"], ["not-done"]):
        return ReportOn(number, "not done", free_text(args[2:], "report"))
    raise GrammarError(
        "After the action's number say how it went: done, partly or not done "
        "(and, if you like, what happened).",
        example=ON_EXAMPLE,
    )

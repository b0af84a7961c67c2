"""The facilitator's report: action follow-through across the set, in counts.

`report` (facilitators) shows how the set's actions stand (open, done, dropped, past
their due moment) and what members answered at report-back — outcomes and what held them
back — as counts across the set, any count under three left out (`suppressed_counts`),
so no one's answer can be picked out. Members' words never appear here. Participation and
the question mix of each meeting are in its closing summary (`meeting end`).

`report N …` is a member's own report-back (`bot.usecases.report_back`).
"""

from __future__ import annotations

from datetime import datetime

from bot import commands as c
from bot.messages import Message, Outcome, Section, Text
from bot.model import Action, ActionStatus
from bot.model.report_back import HELD_BACK_LABELS, ReportBack, suppressed_counts
from bot.parsing.report import parse_report
from bot.permissions import F, M, change, read
from bot.usecases.replies import private
from bot.usecases.report_back import report_held_back, report_on
from bot.verbs import Route, Turn, Usage, Verb


def _counted(counts: dict[str, int], hidden: int, order: list[str]) -> Text:
    shown = [f"{label} {counts[label]}" for label in order if label in counts]
    if hidden:
        shown.append(f"{hidden} in groups under three (not shown)")
    return Text.of(" · ".join(shown) if shown else "none to show yet")


def follow_through(actions: list[Action], reports: list[ReportBack], now: datetime) -> Section:
    """The set's follow-through in counts (pure; see the module's note on suppression)."""
    statuses = {
        "open": sum(a.is_open for a in actions),
        "done": sum(a.status is ActionStatus.DONE for a in actions),
        "dropped": sum(a.status is ActionStatus.DROPPED for a in actions),
        "past due": sum(a.overdue(now) for a in actions),
    }
    outcomes, outcomes_hidden = suppressed_counts(r.outcome.value for r in reports)
    held = [HELD_BACK_LABELS[r.held_back] for r in reports if r.held_back is not None]
    reasons, reasons_hidden = suppressed_counts(held)
    fields = (
        ("actions", Text.of(" · ".join(f"{k} {n}" for k, n in statuses.items()))),
        ("report-backs", _counted(outcomes, outcomes_hidden, ["done", "partly", "not done"])),
        (
            "what held people back",
            _counted(reasons, reasons_hidden, list(HELD_BACK_LABELS.values())),
        ),
    )
    return Section(Text.of(f"Follow-through ({len(actions)} actions committed):"), fields)


async def show_report(cmd: c.Report, turn: Turn) -> Outcome:
    learning_set = turn.access.learning_set
    actions = await turn.uow.actions.of_set(learning_set.id)
    reports = await turn.uow.report_backs.of_set(learning_set.id)
    head = Section(
        Text.of(
            f"Report for “{learning_set.name}”, for facilitators: counts across the set, "
            "any under three left out. Participation and the question mix of each meeting "
            "are in its closing summary."
        )
    )
    return private(turn.ctx, Message((head, follow_through(actions, reports, turn.now))))


VERBS = (
    Verb(
        "report",
        parse_report,
        Usage(
            "report · report N done|partly|not done [what happened] · report N held REASON [note]",
            "the set's follow-through in counts (facilitators) · report back on your action",
            "report 2 partly met the rota team",
        ),
        (
            Route(c.Report, read(F), show_report),
            Route(c.ReportOn, change(F, M), report_on),
            Route(c.ReportHeldBack, change(F, M), report_held_back),
        ),
    ),
)

"""What the core can do: the verbs people type and the kinds of due work time brings.

Each feature module declares its own `VERBS` (`bot.verbs.Verb` records) and, if time
drives it, its `WorkKind`s; this module only lists the feature modules. Adding a verb
to an existing feature touches that feature's module alone; a new feature module is
added to the lists below.
"""

from __future__ import annotations

from bot.duework import WorkKind
from bot.presses import PressHandler
from bot.usecases import (
    actions,
    agreement,
    agreement_reminder,
    closing,
    fishbowl,
    help,
    learning_log,
    meeting_flow,
    meeting_reminder,
    meetings,
    mydata,
    nudges,
    people,
    preferences,
    report_back,
    reports,
    retention,
    roster,
    round_clock,
    rounds,
    sponsors,
    statements,
    weekly_checkin,
)
from bot.verbs import Registry

VERBS = Registry(
    (
        *help.VERBS,
        *roster.VERBS,
        *agreement.VERBS,
        *people.VERBS,
        *sponsors.VERBS,
        *statements.VERBS,
        *meetings.VERBS,
        *rounds.VERBS,
        *fishbowl.VERBS,
        *actions.VERBS,
        *reports.VERBS,
        *learning_log.VERBS,
        *weekly_checkin.VERBS,
        *preferences.VERBS,
        *closing.VERBS,
        *mydata.VERBS,
    )
)
"""Every verb, in the order `help` lists them."""

KINDS: dict[str, WorkKind] = {
    kind.name: kind
    for kind in (
        agreement_reminder.WORK_KIND,
        meeting_reminder.WORK_KIND,
        meeting_flow.WORK_KIND,
        *round_clock.WORK_KINDS,
        weekly_checkin.WORK_KIND,
        retention.WORK_KIND,
        nudges.WORK_KIND,
    )
}
"""Every kind of due work, by its stored name."""

PRESSES: dict[str, PressHandler] = {
    press.action: press.handler
    for press in (*actions.PRESSES, *nudges.PRESSES, *report_back.PRESSES)
}
"""Every button the core answers (`bot.presses`), by its action."""

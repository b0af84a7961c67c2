"""What other features need of members' actions: the nudge hook and the report-back list.

Kept apart from the verbs (`bot.usecases.actions`) so the meeting flow can read the
actions due at a meeting without importing the verbs' module.
"""

from __future__ import annotations

from datetime import datetime

from bot.messages import Mention, Section, Text
from bot.model import Action, HeldMeeting, LearningSet
from bot.ports import UnitOfWork
from bot.usecases.nudge_plan import keep_member_nudges


async def keep_action_nudges(
    uow: UnitOfWork, action: Action, *, now: datetime | None = None
) -> None:
    """Keep the action's nudges in step with it. Called after every change to an action:
    committed, progress noted, done, dropped, re-dated.

    Its owner's nudges are replanned (`bot.usecases.nudge_plan`): an open action gets
    its nudges as due work (ids and times only, never the action's text), a done or
    dropped one loses those not yet sent; this is the one place that does it, so no
    state change can forget it. `now` defaults to the action's latest change."""
    at = now or max(
        [action.created_at, *(n.at for n in action.notes)]
        + ([action.closed_at] if action.closed_at else [])
    )
    await keep_member_nudges(uow, action.owner_id, at)


async def due_at_meeting(
    uow: UnitOfWork, learning_set: LearningSet, meeting: HeldMeeting
) -> list[Action]:
    """Members' open actions due by the time this meeting opened (or the planned start it
    holds, whichever is later), and open actions with no due moment: what to report back on.
    """
    cutoff: datetime = meeting.opened_at
    if meeting.planned_id is not None:
        planned = await uow.meetings.get(meeting.planned_id)
        if planned is not None and planned.starts_at > cutoff:
            cutoff = planned.starts_at
    members = {m.user_id for m in await uow.memberships.list_active(learning_set.id)}
    return [
        a
        for a in await uow.actions.of_set(learning_set.id)
        if a.is_open
        and a.owner_id in members
        and a.created_at < meeting.opened_at
        and (a.due_at is None or a.due_at <= cutoff)
    ]


def report_back_section(actions: list[Action]) -> list[Section]:
    """One section listing the actions to report back on (shown in the set's own place)."""
    if not actions:
        return []
    fields = tuple(
        (f"action {a.number}", Text.of(Mention(a.owner_id), f" — {a.text}")) for a in actions
    )
    intro = Text.of(
        "Actions to report back on — done, partly or not done, and what you learned. "
        "I have sent each of you a private message to answer in; only you see your answers:"
    )
    return [Section(intro, fields)]

"""A gentle reminder to a member who joined a set but has not accepted its agreement.

Kept by `keep_agreement_reminder`, the one place that schedules or cancels it, from
the membership's state whenever a membership is saved: pending means a reminder
`REMIND_AFTER` the joining; agreed, left or removed means none. When it comes due it
checks again, so the set closing or disappearing quietly drops it. An invitation,
never a score.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.duework import Drop, DueResult, DueWork, Send, WorkKind, work_key
from bot.messages import Direct, Message, Moment, Outcome, Outgoing
from bot.model import Membership, SetStatus
from bot.ports import UnitOfWork

KIND = "agreement.reminder"
REMIND_AFTER = timedelta(hours=24)
STALE_AFTER = timedelta(days=7)
"""Found more than a week late (long downtime), the reminder would read oddly: drop it."""


def agreement_reminder(membership: Membership) -> DueWork:
    """The reminder for this membership (one per joining: a re-join gets a new one)."""
    joined = membership.joined_at.strftime("%Y%m%dT%H%M%S%f")
    return DueWork(
        kind=KIND,
        key=work_key(KIND, membership.set_id, membership.user_id, joined),
        due_at=membership.joined_at + REMIND_AFTER,
        set_id=membership.set_id,
        user_id=membership.user_id,
    )


async def keep_agreement_reminder(uow: UnitOfWork, membership: Membership) -> None:
    """Schedule the reminder of a pending membership; cancel it for any other."""
    reminder = agreement_reminder(membership)
    if membership.pending:
        await uow.due_work.schedule(reminder)
    else:
        await uow.due_work.cancel(reminder.key)


async def remind_to_agree(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    if item.set_id is None or item.user_id is None:
        return Drop("malformed: needs set_id and user_id")
    learning_set = await uow.sets.get(item.set_id)
    if learning_set is None:
        return Drop("set no longer exists")
    if learning_set.status is SetStatus.CLOSED:
        return Drop("set closed")
    membership = await uow.memberships.get(item.set_id, item.user_id)
    if membership is None or not membership.active:
        return Drop("no longer a member")
    if membership.agreed_at is not None:
        return Drop("already agreed")
    message = Message.text(
        f"You joined “{learning_set.name}” on ",
        Moment(membership.joined_at, "date"),
        ". When you are ready, read the set's agreement (`agreement` in the set's channel) "
        "and accept it with `agree`; the set's rounds start from that shared ground.",
    )
    return Send(Outcome((Outgoing(Direct(item.user_id), message),)))


WORK_KIND = WorkKind(KIND, remind_to_agree, stale_after=STALE_AFTER)

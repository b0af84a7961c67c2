"""Loading a set's `Roster` and storing the memberships it produces.

Every roster change goes through `bot.model.Roster` (its rules) and `save_membership`
(the store and the agreement reminder, kept in step in one place).
"""

from __future__ import annotations

from bot.model import LearningSet, Membership, Roster, SetStatus
from bot.ports import UnitOfWork
from bot.usecases.agreement_reminder import keep_agreement_reminder
from bot.usecases.nudge_plan import keep_member_nudges


async def load_roster(uow: UnitOfWork, learning_set: LearningSet, *named: str) -> Roster:
    """The set's active memberships, plus any earlier membership of the people named."""
    memberships = await uow.memberships.list_active(learning_set.id)
    for user_id in named:
        earlier = await uow.memberships.get(learning_set.id, user_id)
        if earlier is not None and not earlier.active:
            memberships.append(earlier)
    return Roster(learning_set.id, memberships, open=learning_set.status is SetStatus.OPEN)


async def save_membership(uow: UnitOfWork, membership: Membership) -> None:
    """Store a membership a `Roster` produced, and keep its agreement reminder in step;
    a member who leaves (or is removed) no longer has a sponsor there, and their nudges about
    that set's actions are cancelled."""
    await uow.memberships.save(membership)
    await keep_agreement_reminder(uow, membership)
    if not membership.active:
        await uow.sponsors.remove(membership.set_id, membership.user_id)
    if membership.left_at is not None:
        await keep_member_nudges(uow, membership.user_id, membership.left_at)

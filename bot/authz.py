"""Lookups shared by the authorisation table (`bot.permissions`) and the use cases:
the set that lives here, whether it is still open, the speaker's membership."""

from __future__ import annotations

from bot.context import Context
from bot.errors import NotAllowed, NotFound
from bot.model import LearningSet, Membership, PlaceKind, SetStatus
from bot.ports import UnitOfWork


async def set_here(uow: UnitOfWork, ctx: Context) -> LearningSet:
    """The set that lives in the speaker's place, or a clear error."""
    if ctx.place.kind is PlaceKind.PERSONAL:
        raise NotFound(
            "Sets live in channels and group chats, not in a 1:1 chat with me.",
            example="members (in your set's channel)",
        )
    learning_set = await uow.sets.get_by_place(ctx.place.id)
    if learning_set is None:
        raise NotFound("There is no set in this place yet.", example="create Ward leaders 2026")
    return learning_set


def require_open(learning_set: LearningSet) -> None:
    if learning_set.status is SetStatus.CLOSED:
        raise NotAllowed("This set is closed; it can be read but not changed.", example="help")


async def require_member(uow: UnitOfWork, ctx: Context, learning_set: LearningSet) -> Membership:
    membership = await uow.memberships.get(learning_set.id, ctx.actor.user_id)
    if membership is None or not membership.active:
        raise NotAllowed("Only members of this set can do that.", example="join")
    return membership

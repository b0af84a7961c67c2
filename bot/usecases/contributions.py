"""Recording what members write in their set's place, so rounds can use it.

Messages from people who are not active members, and messages in places that are
not sets, are not stored at all.
"""

from __future__ import annotations

from datetime import datetime

from bot.events import MessageDeleted, MessageEdited, MessagePosted
from bot.messages import Outcome
from bot.model import Contribution, SetStatus
from bot.ports import UnitOfWork


async def record_message(event: MessagePosted, *, uow: UnitOfWork, now: datetime) -> Outcome:
    learning_set = await uow.sets.get_by_place(event.place.id)
    if learning_set is None or learning_set.status is SetStatus.CLOSED:
        return Outcome()
    membership = await uow.memberships.get(learning_set.id, event.author.user_id)
    if membership is None or not membership.active:
        return Outcome()
    if await uow.contributions.get(event.place.id, event.message_id) is not None:
        return Outcome()  # the same message delivered twice
    await uow.contributions.save(
        Contribution(
            set_id=learning_set.id,
            place_id=event.place.id,
            message_id=event.message_id,
            author_id=event.author.user_id,
            text=event.text,
            posted_at=now,
            thread_id=event.thread_id,
        )
    )
    return Outcome()


async def record_edit(event: MessageEdited, *, uow: UnitOfWork, now: datetime) -> Outcome:
    contribution = await uow.contributions.get(event.place.id, event.message_id)
    if contribution is not None:
        contribution.text = event.text
        contribution.edited_at = now
        await uow.contributions.save(contribution)
    return Outcome()


async def record_deletion(event: MessageDeleted, *, uow: UnitOfWork, now: datetime) -> Outcome:
    await uow.contributions.delete(event.place.id, event.message_id)
    return Outcome()

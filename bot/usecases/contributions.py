"""Recording what members write in their set's place, so rounds can use it.

Messages from people who are neither active members nor guests of the meeting under
way, and messages in places that are not sets, are not stored at all. A message in a
round's space is also counted for the round (`round_contributions`). A message written
to the bot in a 1:1 chat is a fishbowl note if its author is in a running round's outer
ring (`fishbowl.hold_direct`), and otherwise not stored either.
"""

from __future__ import annotations

from datetime import datetime

from bot.events import MessageDeleted, MessageEdited, MessagePosted
from bot.messages import Outcome
from bot.model import Contribution, PlaceKind, SetStatus
from bot.permissions import Standing, standing_in
from bot.ports import UnitOfWork
from bot.usecases.fishbowl import hold_direct
from bot.usecases.round_contributions import count_deleted, count_edited, count_posted


async def record_message(event: MessagePosted, *, uow: UnitOfWork, now: datetime) -> Outcome:
    if event.place.kind is PlaceKind.PERSONAL:
        return await hold_direct(event, uow, now)
    learning_set = await uow.sets.get_by_place(event.place.id)
    if learning_set is None or learning_set.status is SetStatus.CLOSED:
        return Outcome()
    membership = await uow.memberships.get(learning_set.id, event.author.user_id)
    if membership is None or not membership.active:
        standing = await standing_in(uow, learning_set, event.author.user_id, now)
        if standing is not Standing.GUEST:
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
    return await count_posted(uow, learning_set, event, now)


async def record_edit(event: MessageEdited, *, uow: UnitOfWork, now: datetime) -> Outcome:
    contribution = await uow.contributions.get(event.place.id, event.message_id)
    if contribution is not None:
        contribution.text = event.text
        contribution.edited_at = now
        await uow.contributions.save(contribution)
    await count_edited(uow, event)
    return Outcome()


async def record_deletion(event: MessageDeleted, *, uow: UnitOfWork, now: datetime) -> Outcome:
    await uow.contributions.delete(event.place.id, event.message_id)
    await count_deleted(uow, event)
    return Outcome()

"""Which round a message belongs to, and what it counts as there.

A round's space is the thread under its message (Slack thread, Teams reply chain: an
inbound message whose thread root is the ref remembered as "round:ID"), or, in a
group chat, which has no threads, the whole chat while the round runs. Messages are
counted only while the round is open: in the questions phase a listener's message is
a question and the presenter's an answer; in other phases, a contribution. In a
fishbowl, the outer ring's messages in the questions phase are not questions: they are
not counted, and the author is told privately where their thoughts go (`fishbowl`).
A listener's question may draw a private note from the question coach (`round_coaching`).
"""

from __future__ import annotations

from datetime import datetime

from bot.events import MessageDeleted, MessageEdited, MessagePosted
from bot.messages import Outcome
from bot.model import LearningSet, Phase, Place, PlaceKind, Round, RoundMessage, role_of
from bot.model.participation import word_count
from bot.ports import UnitOfWork
from bot.usecases.fishbowl import outer_ring_reminder
from bot.usecases.round_coaching import coach_question

ROUND_KEY = "round:"


async def round_for(
    uow: UnitOfWork, learning_set: LearningSet, place: Place, thread_id: str | None
) -> Round | None:
    """The open round whose space this message is in, if any."""
    if thread_id is not None:
        key = await uow.message_refs.key_of(place.id, thread_id)
        if key is None or not key.startswith(ROUND_KEY):
            return None
        found = await uow.rounds.get(key.removeprefix(ROUND_KEY))
    elif place.kind is PlaceKind.GROUP:
        found = await uow.rounds.open_in(learning_set.id)
    else:
        return None
    return (
        found if found is not None and found.is_open and found.set_id == learning_set.id else None
    )


async def count_posted(
    uow: UnitOfWork, learning_set: LearningSet, event: MessagePosted, now: datetime
) -> Outcome:
    round_ = await round_for(uow, learning_set, event.place, event.thread_id)
    if round_ is None:
        return Outcome()
    author = event.author.user_id
    if round_.phase is Phase.QUESTIONS and round_.in_outer_ring(author):
        return await outer_ring_reminder(uow, round_, event, learning_set)
    role = role_of(round_.phase, by_presenter=author == round_.presenter_id)
    await uow.round_messages.save(
        RoundMessage(
            round_.id,
            event.place.id,
            event.message_id,
            author,
            round_.phase,
            role,
            word_count(event.text),
            now,
        )
    )
    return await coach_question(uow, learning_set, round_, event, now)


async def count_edited(uow: UnitOfWork, event: MessageEdited) -> None:
    counted = await uow.round_messages.get(event.place.id, event.message_id)
    if counted is not None:
        counted.words = word_count(event.text)
        await uow.round_messages.save(counted)


async def count_deleted(uow: UnitOfWork, event: MessageDeleted) -> None:
    await uow.round_messages.delete(event.place.id, event.message_id)

"""Small builders shared by use cases: who sees an answer, and the speaker's zone."""

from __future__ import annotations

from bot.context import Context
from bot.messages import Message, Outcome, Outgoing, Private, Public
from bot.model import DEFAULT_TZ, LearningSet, SetOptions
from bot.ports import UnitOfWork


def private(ctx: Context, message: Message) -> Outcome:
    return Outcome((Outgoing(Private(ctx.actor.user_id, ctx.place.id), message),))


def private_to(ctx: Context, user_id: str, message: Message) -> Outcome:
    return Outcome((Outgoing(Private(user_id, ctx.place.id), message),))


def public(ctx: Context, message: Message) -> Outcome:
    return Outcome((Outgoing(Public(ctx.place.id), message),))


async def speaker_zone(uow: UnitOfWork, ctx: Context, learning_set: LearningSet | None) -> str:
    """Own setting, platform profile, then the set's zone (DESIGN.md §3).

    The profile's zone is read from the stored person, where the dispatcher keeps it
    only if it is a known zone (`ctx.actor.platform_tz` is the platform's, unchecked).
    """
    fallback = learning_set.tz if learning_set else DEFAULT_TZ
    person = await uow.people.get(ctx.actor.user_id)
    return person.zone(fallback) if person else fallback


async def options_of(uow: UnitOfWork, set_id: str) -> SetOptions:
    return await uow.set_options.get(set_id) or SetOptions(set_id)

"""Creating a set, joining and leaving it, and reading its roster."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.authz import require_member, require_open, set_here
from bot.commands import CreateSet, JoinSet, LeaveSet, ListMembers
from bot.context import Context
from bot.errors import Conflict, NotAllowed
from bot.messages import Mention, Message, Outcome, Outgoing, Private, Section, Text
from bot.model import DEFAULT_TZ, LearningSet, Membership, PlaceKind, Role
from bot.ports import UnitOfWork
from bot.usecases.agreement import agreement_sections
from bot.usecases.agreement_reminder import agreement_reminder
from bot.usecases.replies import private, public

MIN_SET_SIZE, MAX_SET_SIZE = 4, 8


async def create_set(cmd: CreateSet, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    if ctx.place.kind is PlaceKind.PERSONAL:
        raise NotAllowed(
            "A set needs a channel or group chat; run `create` there, not in a 1:1 chat.",
            example="create Ward leaders 2026",
        )
    if await uow.sets.get_by_place(ctx.place.id) is not None:
        raise Conflict("This place is already a set.", example="members")
    person = await uow.people.get(ctx.actor.user_id)
    tz = person.zone(DEFAULT_TZ) if person else DEFAULT_TZ  # the profile's zone, checked
    learning_set = LearningSet(
        id=uuid.uuid4().hex,
        place_id=ctx.place.id,
        platform=ctx.place.platform,
        name=cmd.name or "Action learning set",
        created_by=ctx.actor.user_id,
        created_at=now,
        tz=tz,
    )
    await uow.sets.add(learning_set)
    await uow.memberships.save(
        Membership(
            learning_set.id, ctx.actor.user_id, Role.FACILITATOR, joined_at=now, agreed_at=now
        )
    )
    announce = Message.text(
        Mention(ctx.actor.user_id),
        f" made this place the set “{learning_set.name}” and facilitates it. "
        "Everyone here can `join`.",
    )
    return public(ctx, announce)


async def join_set(cmd: JoinSet, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    learning_set = await set_here(uow, ctx)
    require_open(learning_set)
    existing = await uow.memberships.get(learning_set.id, ctx.actor.user_id)
    if existing is not None and existing.active:
        if existing.agreed_at is None:
            raise Conflict("You have joined; accept the agreement to complete it.", example="agree")
        raise Conflict(f"You are already in “{learning_set.name}”.", example="members")
    membership = Membership(learning_set.id, ctx.actor.user_id, Role.MEMBER, joined_at=now)
    await uow.memberships.save(membership)
    await uow.due_work.schedule(agreement_reminder(membership))
    count = len(await uow.memberships.list_active(learning_set.id))
    welcome = Section(
        Text.of(f"Welcome to “{learning_set.name}”. You are member {count} of the set.")
    )
    agreement = await agreement_sections(uow, learning_set)
    finish = Section(Text.of("Type `agree` to accept it and complete your joining."))
    outcome = private(ctx, Message((welcome, *agreement, finish)))
    outcome += public(ctx, Message.text(Mention(ctx.actor.user_id), " joined the set."))
    return outcome + await size_advice_for_facilitators(uow, ctx, learning_set)


async def size_advice_for_facilitators(
    uow: UnitOfWork, ctx: Context, learning_set: LearningSet
) -> Outcome:
    """When the roster leaves 4–8, tell the facilitators (privately) why it matters."""
    active = await uow.memberships.list_active(learning_set.id)
    if MIN_SET_SIZE <= len(active) <= MAX_SET_SIZE:
        return Outcome()
    advice = Message.text(f"The set now has {len(active)}. " + _size_advice(len(active)))
    return Outcome(
        tuple(
            Outgoing(Private(m.user_id, ctx.place.id), advice)
            for m in active
            if m.role is Role.FACILITATOR
        )
    )


async def leave_set(cmd: LeaveSet, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    learning_set = await set_here(uow, ctx)
    membership = await require_member(uow, ctx, learning_set)
    active = await uow.memberships.list_active(learning_set.id)
    facilitators = [m for m in active if m.role is Role.FACILITATOR]
    if membership.role is Role.FACILITATOR and len(facilitators) == 1 and len(active) > 1:
        raise Conflict(
            "You are the set's only facilitator: hand facilitation on before you leave.",
            example="add @Sam as facilitator",
        )
    await uow.due_work.cancel(agreement_reminder(membership).key)
    membership.left_at = now
    await uow.memberships.save(membership)
    return private(ctx, Message.text(f"You have left “{learning_set.name}”."))


async def list_members(
    cmd: ListMembers, *, ctx: Context, uow: UnitOfWork, now: datetime
) -> Outcome:
    learning_set = await set_here(uow, ctx)
    await require_member(uow, ctx, learning_set)
    active = await uow.memberships.list_active(learning_set.id)
    order = {Role.FACILITATOR: 0, Role.MEMBER: 1, Role.GUEST: 2}
    active.sort(key=lambda m: (order[m.role], m.joined_at))
    fields: list[tuple[str, Text]] = []
    for m in active:
        person = await uow.people.get(m.user_id)
        zone = person.zone(learning_set.tz) if person else learning_set.tz
        local = now.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        label = m.role.value + (" (not yet agreed)" if m.agreed_at is None else "")
        fields.append((label, Text.of(Mention(m.user_id), f" — {local} ({zone})")))
    header = Text.of(f"“{learning_set.name}” has {len(active)} {_people(len(active))}.")
    blocks: list[Section] = [Section(header, tuple(fields))]
    if not MIN_SET_SIZE <= len(active) <= MAX_SET_SIZE:
        blocks.append(Section(Text.of(_size_advice(len(active)))))
    return private(ctx, Message(tuple(blocks)))


def _people(n: int) -> str:
    return "person" if n == 1 else "people"


def _size_advice(n: int) -> str:
    if n < MIN_SET_SIZE:
        return (
            f"Sets work best with {MIN_SET_SIZE}–{MAX_SET_SIZE} people: with fewer, "
            "there are not enough questioners for each presenter."
        )
    return (
        f"Sets work best with {MIN_SET_SIZE}–{MAX_SET_SIZE} people: with more, "
        "each presenter gets too little airtime. Consider two sets, or a fishbowl."
    )

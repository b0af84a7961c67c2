"""Creating a set, joining and leaving it, and reading its roster."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.authz import require_member, require_open, set_here
from bot.commands import CreateSet, JoinSet, LeaveSet, ListMembers
from bot.context import Context
from bot.errors import Conflict, NotAllowed
from bot.messages import Mention, Message, Outcome, Outgoing, Private, Public, Section, Text
from bot.model import DEFAULT_TZ, LearningSet, Membership, PlaceKind, Role
from bot.ports import UnitOfWork
from bot.usecases.agreement_reminder import agreement_reminder

MIN_SET_SIZE, MAX_SET_SIZE = 4, 8


def private(ctx: Context, message: Message) -> Outcome:
    return Outcome((Outgoing(Private(ctx.actor.user_id, ctx.place.id), message),))


def public(ctx: Context, message: Message) -> Outcome:
    return Outcome((Outgoing(Public(ctx.place.id), message),))


async def create_set(cmd: CreateSet, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    if ctx.place.kind is PlaceKind.PERSONAL:
        raise NotAllowed(
            "A set needs a channel or group chat; run `create` there, not in a 1:1 chat.",
            example="create Ward leaders 2026",
        )
    if await uow.sets.get_by_place(ctx.place.id) is not None:
        raise Conflict("This place is already a set.", example="members")
    person = await uow.people.get(ctx.actor.user_id)
    tz = person.zone(DEFAULT_TZ) if person else (ctx.actor.platform_tz or DEFAULT_TZ)
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
        raise Conflict(f"You are already in “{learning_set.name}”.", example="members")
    membership = Membership(learning_set.id, ctx.actor.user_id, Role.MEMBER, joined_at=now)
    await uow.memberships.save(membership)
    await uow.due_work.schedule(agreement_reminder(membership))
    count = len(await uow.memberships.list_active(learning_set.id))
    return private(
        ctx, Message.text(f"Welcome to “{learning_set.name}”. You are member {count} of the set.")
    ) + public(ctx, Message.text(Mention(ctx.actor.user_id), " joined the set."))


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
        fields.append((m.role.value, Text.of(Mention(m.user_id), f" — {local} ({zone})")))
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

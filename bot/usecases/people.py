"""The roster beyond join/leave: adding and removing people, guests and sponsors."""

from __future__ import annotations

from datetime import datetime

from bot.authz import set_here
from bot.commands import AddMembers, InviteGuest, LinkSponsor, RemoveMember
from bot.context import Context
from bot.errors import Conflict, NotFound
from bot.messages import Direct, Mention, Message, Moment, Outcome, Outgoing, Section, Text
from bot.model import LearningSet, Membership, Role
from bot.ports import UnitOfWork
from bot.setlife import GuestInvitation, SponsorLink
from bot.usecases.agreement import agreement_sections
from bot.usecases.agreement_reminder import agreement_reminder
from bot.usecases.replies import private, private_to, public
from bot.usecases.roster import size_advice_for_facilitators


async def add_members(cmd: AddMembers, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    learning_set = await set_here(uow, ctx)
    outcome = Outcome()
    for user_id in cmd.user_ids:
        outcome += await _add_one(uow, ctx, learning_set, user_id, cmd.role, now)
    if cmd.role is Role.MEMBER:
        await _keep_a_facilitator(uow, learning_set)
    return outcome + await size_advice_for_facilitators(uow, ctx, learning_set)


async def _add_one(
    uow: UnitOfWork,
    ctx: Context,
    learning_set: LearningSet,
    user_id: str,
    role: Role,
    now: datetime,
) -> Outcome:
    await _refuse_a_sponsor(uow, learning_set, user_id, example="add @sam")
    existing = await uow.memberships.get(learning_set.id, user_id)
    if existing is not None and existing.active:
        if existing.role is role:
            return private(ctx, Message.text(Mention(user_id), f" is already a {role.value}."))
        existing.role = role
        await uow.memberships.save(existing)
        return public(ctx, Message.text(Mention(user_id), f" is now a {role.value} of the set."))
    membership = Membership(learning_set.id, user_id, role, joined_at=now)
    await uow.memberships.save(membership)
    await uow.due_work.schedule(agreement_reminder(membership))
    invitation = Section(
        Text.of(Mention(ctx.actor.user_id), f" added you to “{learning_set.name}” as {role.value}.")
    )
    agreement = await agreement_sections(uow, learning_set)
    finish = Section(Text.of("Type `agree` here to accept it and complete your joining."))
    return public(
        ctx, Message.text(Mention(user_id), f" was added to the set as {role.value}.")
    ) + private_to(ctx, user_id, Message((invitation, *agreement, finish)))


async def _refuse_a_sponsor(
    uow: UnitOfWork, learning_set: LearningSet, user_id: str, *, example: str
) -> None:
    """A sponsor sees only what their member shares: never a member or guest of the set."""
    if await uow.sponsors.sponsoring(learning_set.id, user_id):
        raise Conflict(
            "That person sponsors a member of this set; sponsors are never added to it "
            "or invited to its meetings.",
            example=example,
        )


async def _keep_a_facilitator(uow: UnitOfWork, learning_set: LearningSet) -> None:
    active = await uow.memberships.list_active(learning_set.id)
    if not any(m.role is Role.FACILITATOR for m in active):
        raise Conflict(
            "That would leave the set without a facilitator: add another one first.",
            example="add @sam as facilitator",
        )


async def remove_member(
    cmd: RemoveMember, *, ctx: Context, uow: UnitOfWork, now: datetime
) -> Outcome:
    learning_set = await set_here(uow, ctx)
    membership = await uow.memberships.get(learning_set.id, cmd.user_id)
    if membership is None or not membership.active:
        raise NotFound("That person is not on this set's roster.", example="members")
    await uow.due_work.cancel(agreement_reminder(membership).key)
    membership.left_at = now
    await uow.memberships.save(membership)
    await _keep_a_facilitator(uow, learning_set)
    return public(ctx, Message.text(Mention(cmd.user_id), " is no longer in the set.")) + (
        await size_advice_for_facilitators(uow, ctx, learning_set)
    )


async def invite_guest(
    cmd: InviteGuest, *, ctx: Context, uow: UnitOfWork, now: datetime
) -> Outcome:
    learning_set = await set_here(uow, ctx)
    member = await uow.memberships.get(learning_set.id, cmd.user_id)
    if member is not None and member.active:
        raise Conflict("That person is already in the set.", example="invite @expert")
    await _refuse_a_sponsor(uow, learning_set, cmd.user_id, example="invite @expert")
    upcoming = await uow.meetings.upcoming(learning_set.id, now)
    if not upcoming:
        raise Conflict(
            "There is no meeting to invite a guest to: schedule one first.",
            example="schedule 2026-12-10 14:00",
        )
    meeting = upcoming[0]
    await uow.guests.add(
        GuestInvitation(learning_set.id, cmd.user_id, meeting.id, ctx.actor.user_id, now)
    )
    note = Text.of(
        Mention(ctx.actor.user_id),
        f" invited you as a guest to the meeting of “{learning_set.name}” on ",
        Moment(meeting.starts_at),
        ". What is said there stays there; `agreement` shows the set's ground rules.",
    )
    return private(
        ctx,
        Message.text(
            Mention(cmd.user_id), " is invited to the meeting on ", Moment(meeting.starts_at), "."
        ),
    ) + private_to(ctx, cmd.user_id, Message((Section(note),)))


async def link_sponsor(
    cmd: LinkSponsor, *, ctx: Context, uow: UnitOfWork, now: datetime
) -> Outcome:
    learning_set = await set_here(uow, ctx)
    if cmd.user_id == ctx.actor.user_id:
        raise Conflict(
            "Your sponsor is someone else: a senior colleague.", example="sponsor @director"
        )
    other = await uow.memberships.get(learning_set.id, cmd.user_id)
    if other is not None and other.active:
        raise Conflict(
            "A sponsor is not a member of the set; mention someone outside it.",
            example="sponsor @director",
        )
    await uow.sponsors.save(SponsorLink(learning_set.id, ctx.actor.user_id, cmd.user_id, now))
    to_sponsor = Message.text(
        Mention(ctx.actor.user_id),
        " linked you as their sponsor in an action learning set. You are not added to the "
        "set; you will see only what they choose to share with you.",
    )
    return private(
        ctx,
        Message.text(
            Mention(cmd.user_id), " is your sponsor. They see only what you choose to `share`."
        ),
    ) + Outcome((Outgoing(Direct(cmd.user_id), to_sponsor),))

"""The roster beyond join/leave: adding and removing people, and inviting guests."""

from __future__ import annotations

from bot.commands import AddMembers, InviteGuest, RemoveMember
from bot.errors import Conflict
from bot.messages import Mention, Message, Moment, Outcome, Section, Text
from bot.model import GuestInvitation, LearningSet, Role
from bot.parsing.roster import parse_add, parse_invite, parse_remove
from bot.permissions import F, change
from bot.ports import UnitOfWork
from bot.usecases.agreement import agreement_sections
from bot.usecases.memberships import load_roster, save_membership
from bot.usecases.replies import private, private_to, public
from bot.usecases.roster import size_advice_for_facilitators
from bot.usecases.sponsors import end_sponsorships_on_joining
from bot.verbs import Route, Turn, Usage, Verb


async def add_members(cmd: AddMembers, turn: Turn) -> Outcome:
    ctx, uow, learning_set = turn.ctx, turn.uow, turn.access.learning_set
    roster = await load_roster(uow, learning_set, *cmd.user_ids)
    outcome = Outcome()
    for user_id in cmd.user_ids:
        before = roster.get(user_id)
        was_active = before is not None and before.active
        membership = roster.add(user_id, cmd.role, turn.now)
        if membership is before:
            outcome += private(ctx, Message.text(Mention(user_id), f" is already a {cmd.role}."))
            continue
        await save_membership(uow, membership)
        if was_active:
            outcome += public(
                ctx, Message.text(Mention(user_id), f" is now a {cmd.role} of the set.")
            )
        else:
            outcome += await _added(uow, turn, learning_set, user_id, cmd.role)
            outcome += await end_sponsorships_on_joining(uow, learning_set, user_id)
    return outcome + size_advice_for_facilitators(roster, ctx.place.id)


async def _added(
    uow: UnitOfWork, turn: Turn, learning_set: LearningSet, user_id: str, role: Role
) -> Outcome:
    invitation = Section(
        Text.of(Mention(turn.ctx.actor.user_id), f" added you to “{learning_set.name}” as {role}.")
    )
    agreement = await agreement_sections(uow, learning_set)
    finish = Section(Text.of("Type `agree` here to accept it and complete your joining."))
    return public(
        turn.ctx, Message.text(Mention(user_id), f" was added to the set as {role}.")
    ) + private_to(turn.ctx, user_id, Message((invitation, *agreement, finish)))


async def _refuse_a_sponsor(
    uow: UnitOfWork, learning_set: LearningSet, user_id: str, *, example: str
) -> None:
    """A sponsor sees only what their member shares: never invited as a guest (joining,
    on the other hand, ends their sponsorship: see `bot.usecases.sponsors`)."""
    if await uow.sponsors.sponsoring(learning_set.id, user_id):
        raise Conflict(
            "That person sponsors a member of this set; sponsors are never added to it "
            "or invited to its meetings.",
            example=example,
        )


async def remove_member(cmd: RemoveMember, turn: Turn) -> Outcome:
    roster = await load_roster(turn.uow, turn.access.learning_set)
    await save_membership(turn.uow, roster.remove(cmd.user_id, turn.now))
    return public(turn.ctx, Message.text(Mention(cmd.user_id), " is no longer in the set.")) + (
        size_advice_for_facilitators(roster, turn.ctx.place.id)
    )


async def invite_guest(cmd: InviteGuest, turn: Turn) -> Outcome:
    ctx, uow, now, learning_set = turn.ctx, turn.uow, turn.now, turn.access.learning_set
    if (await load_roster(uow, learning_set)).is_active(cmd.user_id):
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


VERBS = (
    Verb(
        "add",
        parse_add,
        Usage(
            "add @a @b … [as member|facilitator]",
            "add people to the set (facilitator); `as facilitator` hands facilitation on",
            "add @sam @lee as member",
        ),
        (Route(AddMembers, change(F), add_members),),
    ),
    Verb(
        "remove",
        parse_remove,
        Usage("remove @a", "take someone off the roster (facilitator)", "remove @sam"),
        (Route(RemoveMember, change(F), remove_member),),
    ),
    Verb(
        "invite",
        parse_invite,
        Usage(
            "invite @a [for next meeting]",
            "a guest for the next meeting only (facilitator)",
            "invite @expert for next meeting",
        ),
        (Route(InviteGuest, change(F), invite_guest),),
    ),
)

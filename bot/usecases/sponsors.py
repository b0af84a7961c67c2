"""Sponsors: a member names their own, the named person is told and may decline, and the
member may change or end the link. A sponsor is never added to the set and sees only
what their member chooses to share; being someone's sponsor never stops anyone from
joining (joining ends the link, since a member is not a sponsor within their set)."""

from __future__ import annotations

from bot.commands import DeclineSponsorship, LinkSponsor, UnlinkSponsor
from bot.errors import Conflict, NotFound
from bot.messages import Direct, Inline, Mention, Message, Outcome, Outgoing
from bot.model import LearningSet, SponsorLink
from bot.parsing.roster import parse_sponsor
from bot.permissions import PERSONAL, F, M, change
from bot.ports import UnitOfWork
from bot.usecases.memberships import load_roster
from bot.usecases.replies import private
from bot.verbs import Route, Turn, Usage, Verb


async def link_sponsor(cmd: LinkSponsor, turn: Turn) -> Outcome:
    ctx, uow, learning_set = turn.ctx, turn.uow, turn.access.learning_set
    member = ctx.actor.user_id
    if cmd.user_id == member:
        raise Conflict(
            "Your sponsor is someone else: a senior colleague.", example="sponsor @director"
        )
    if (await load_roster(uow, learning_set)).is_active(cmd.user_id):
        raise Conflict(
            "A sponsor is not a member of the set; mention someone outside it.",
            example="sponsor @director",
        )
    earlier = await uow.sponsors.of_member(learning_set.id, member)
    if earlier is not None and earlier.sponsor_id == cmd.user_id:
        raise Conflict("They are already your sponsor.", example="sponsor none")
    await uow.sponsors.save(SponsorLink(learning_set.id, member, cmd.user_id, turn.now))
    to_sponsor = Message.text(
        Mention(member),
        " named you as their sponsor in an action learning set. You are not added to the "
        "set; you will see only what they choose to share with you. If you would rather "
        "not be their sponsor, write `sponsor decline` to me.",
    )
    outcome = private(
        ctx,
        Message.text(
            Mention(cmd.user_id),
            " is your sponsor and has been told. They see only what you choose to `share`; "
            "`sponsor none` ends the link.",
        ),
    ) + Outcome((Outgoing(Direct(cmd.user_id), to_sponsor),))
    if earlier is not None:
        outcome += _told_link_ended(earlier)
    return outcome


async def unlink_sponsor(cmd: UnlinkSponsor, turn: Turn) -> Outcome:
    learning_set = turn.access.learning_set
    earlier = await turn.uow.sponsors.of_member(learning_set.id, turn.ctx.actor.user_id)
    if earlier is None:
        raise NotFound("You have not named a sponsor in this set.", example="sponsor @director")
    await turn.uow.sponsors.remove(learning_set.id, earlier.member_id)
    done = Message.text(Mention(earlier.sponsor_id), " is no longer your sponsor.")
    return private(turn.ctx, done) + _told_link_ended(earlier)


async def decline_sponsorship(cmd: DeclineSponsorship, turn: Turn) -> Outcome:
    uow, sponsor = turn.uow, turn.ctx.actor.user_id
    links = await uow.sponsors.of_sponsor(sponsor)
    if not links:
        raise NotFound("Nobody has named you as their sponsor.", example="help")
    outcome = Outcome()
    for link in links:
        await uow.sponsors.remove(link.set_id, link.member_id)
        outcome += await _told_declined(uow, link)
    members: list[Inline] = [p for link in links for p in (" ", Mention(link.member_id))]
    return private(turn.ctx, Message.text("You are no longer the sponsor of", *members, ".")) + (
        outcome
    )


async def end_sponsorships_on_joining(
    uow: UnitOfWork, learning_set: LearningSet, user_id: str
) -> Outcome:
    """Someone joining (or added to) a set stops sponsoring its members: a sponsor is never
    part of the set. Each member is told privately."""
    outcome = Outcome()
    for link in await uow.sponsors.sponsoring(learning_set.id, user_id):
        await uow.sponsors.remove(link.set_id, link.member_id)
        told = Message.text(
            Mention(user_id),
            f" is now on the roster of “{learning_set.name}”, so they are no longer your "
            "sponsor there. `sponsor @a` names another.",
        )
        outcome += Outcome((Outgoing(Direct(link.member_id), told),))
    return outcome


def _told_link_ended(link: SponsorLink) -> Outcome:
    told = Message.text(Mention(link.member_id), " no longer names you as their sponsor.")
    return Outcome((Outgoing(Direct(link.sponsor_id), told),))


async def _told_declined(uow: UnitOfWork, link: SponsorLink) -> Outcome:
    learning_set = await uow.sets.get(link.set_id)
    where = f" in “{learning_set.name}”" if learning_set else ""
    told = Message.text(
        Mention(link.sponsor_id),
        f" would rather not be your sponsor{where}. `sponsor @a` names someone else.",
    )
    return Outcome((Outgoing(Direct(link.member_id), told),))


VERBS = (
    Verb(
        "sponsor",
        parse_sponsor,
        Usage(
            "sponsor @a · sponsor none · sponsor decline",
            "name your sponsor (they are told, are not added to the set and see only what "
            "you share) · end the link · as someone named sponsor, say no",
            "sponsor @director",
        ),
        (
            Route(LinkSponsor, change(F, M), link_sponsor),
            Route(UnlinkSponsor, change(F, M), unlink_sponsor),
            Route(DeclineSponsorship, PERSONAL, decline_sponsorship),
        ),
    ),
)

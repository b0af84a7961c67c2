"""From words to outcome: parse, authorise, run the use case in one transaction.

A `UserError` anywhere rolls the transaction back (nothing stored changes) and
becomes a private answer naming the problem with a correct example.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot import commands as c
from bot.commands import Command, CreateSet, Help, JoinSet, LeaveSet, ListMembers
from bot.context import Context
from bot.errors import UserError
from bot.events import Event, MessageDeleted, MessageEdited, MessagePosted
from bot.forms import command_from_form
from bot.grammar import parse
from bot.messages import (
    TYPED_MENTION_START,
    Message,
    Outcome,
    Outgoing,
    Private,
    Section,
    Text,
    without_bidi_controls,
)
from bot.model import Actor, Person
from bot.parsing.words import known_zone
from bot.permissions import authorise
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.usecases.agreement import agree, set_agreement, show_agreement
from bot.usecases.closing import close_set
from bot.usecases.coming_soon import coming_soon
from bot.usecases.contributions import record_deletion, record_edit, record_message
from bot.usecases.help import show_help
from bot.usecases.meetings import (
    cancel_meeting,
    list_schedule,
    place_bid,
    schedule_once,
    schedule_series,
)
from bot.usecases.people import add_members, invite_guest, link_sponsor, remove_member
from bot.usecases.preferences import update_options, update_settings
from bot.usecases.roster import create_set, join_set, leave_set, list_members
from bot.usecases.statements import set_challenge, set_goal

MAX_DISPLAY_NAME = 200
"""The longest display name kept (the `person.display_name` column)."""

Handler = Callable[..., Awaitable[Outcome]]

HANDLERS: dict[type[Any], Handler] = {
    Help: show_help,
    CreateSet: create_set,
    JoinSet: join_set,
    LeaveSet: leave_set,
    ListMembers: list_members,
    # the set's life outside the rounds
    c.Agree: agree,
    c.ShowAgreement: show_agreement,
    c.SetAgreement: set_agreement,
    c.AddMembers: add_members,
    c.RemoveMember: remove_member,
    c.InviteGuest: invite_guest,
    c.LinkSponsor: link_sponsor,
    c.SetChallenge: set_challenge,
    c.SetGoal: set_goal,
    c.ListSchedule: list_schedule,
    c.ScheduleOnce: schedule_once,
    c.ScheduleSeries: schedule_series,
    c.CancelMeeting: cancel_meeting,
    c.Bid: place_bid,
    c.Settings: update_settings,
    c.Options: update_options,
    c.CloseSet: close_set,
}
COMING_SOON = (
    c.MeetingStart,
    c.MeetingEnd,
    c.RoundStart,
    c.RoundSteer,
    c.RoundExtend,
    c.RoundStatus,
    c.CommitAction,
    c.ListActions,
    c.UpdateAction,
    c.ShareAction,
    c.ShareMeeting,
    c.Report,
    c.LogEntry,
    c.LogExport,
    c.MyData,
)
"""Parsed and authorised today; later work replaces these entries in HANDLERS."""
HANDLERS.update({kind: coming_soon for kind in COMING_SOON})


EVENT_HANDLERS: dict[type[Any], Handler] = {
    MessagePosted: record_message,
    MessageEdited: record_edit,
    MessageDeleted: record_deletion,
}


@dataclass(frozen=True)
class Core:
    """The ports every use case may need, built once by the composition root."""

    uow: UnitOfWorkFactory
    clock: Clock


async def handle_command(core: Core, ctx: Context, text: str) -> Outcome:
    """Parse `text` as a command and run it; user mistakes become a private answer."""
    try:
        return await run_command(core, ctx, parse(without_bidi_controls(text)))
    except UserError as exc:
        return error_outcome(ctx, exc)


async def handle_form(core: Core, ctx: Context, action: str, values: Mapping[str, str]) -> Outcome:
    """Run a submitted form (`bot.forms`) like the command its words would be."""
    try:
        # a form's inputs are plain text: a typed `<@` is kept escaped, as in typed commands
        visible = {
            name: without_bidi_controls(value).replace("<@", TYPED_MENTION_START)
            for name, value in values.items()
        }
        return await run_command(core, ctx, command_from_form(action, visible))
    except UserError as exc:
        return error_outcome(ctx, exc)


async def run_command(core: Core, ctx: Context, command: Command) -> Outcome:
    handler = HANDLERS[type(command)]
    now = core.clock.now()
    async with core.uow() as uow:
        await remember_actor(uow, ctx.actor)
        await authorise(uow, ctx, command, now)
        outcome = await handler(command, ctx=ctx, uow=uow, now=now)
        await uow.commit()
    return outcome


async def handle_event(core: Core, event: Event) -> Outcome:
    """Feed a platform event to the core; unlike commands, events never answer errors."""
    handler = EVENT_HANDLERS[type(event)]
    async with core.uow() as uow:
        outcome = await handler(event, uow=uow, now=core.clock.now())
        await uow.commit()
    return outcome


async def remember_actor(uow: UnitOfWork, actor: Actor) -> None:
    """Keep the speaker's display name and platform time zone current.

    The profile comes from the platform unchecked (a Teams client sends any
    `localTimezone` it likes): a zone that is not a known IANA name is ignored, and a
    name is cut to fit its column, so one odd profile cannot break every later command.
    """
    name = without_bidi_controls(actor.display_name)[:MAX_DISPLAY_NAME]
    platform_tz = known_zone(actor.platform_tz) if actor.platform_tz else None
    person = await uow.people.get(actor.user_id)
    if person is None:
        person = Person(actor.user_id, name, platform_tz)
    elif person.display_name == name and (platform_tz is None or person.platform_tz == platform_tz):
        return
    else:
        person.display_name = name
        person.platform_tz = platform_tz or person.platform_tz
    await uow.people.save(person)


def error_outcome(ctx: Context, exc: UserError) -> Outcome:
    blocks = [Section(Text.of(exc.message))]
    if exc.example:
        blocks.append(Section(Text.of(f"Example: `{ctx.command_prefix}{exc.example}`")))
    message = Message(tuple(blocks), kind="error")
    return Outcome((Outgoing(Private(ctx.actor.user_id, ctx.place.id), message),))

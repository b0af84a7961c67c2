"""From input to outcome: words, forms, platform events and due work, each run in one
transaction (parse, authorise, run the use case).

A `UserError` anywhere rolls the transaction back (nothing stored changes) and
becomes a private answer naming the problem with a correct example.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot import catalogue
from bot.commands import Command
from bot.context import Context
from bot.duework import Drop, DueResult, DueWork, Send, WorkKind, tag_with_key
from bot.errors import GrammarError, UnknownWorkKind, UserError
from bot.events import AppAdded, Event, MessageDeleted, MessageEdited, MessagePosted
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
from bot.model import Actor, Person, PlaceKind
from bot.outbox import Receipt
from bot.parsing.words import known_zone
from bot.permissions import authorise
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.presses import Press, PressHandler, press_of_form
from bot.usecases.contributions import record_deletion, record_edit, record_message
from bot.usecases.home import HomeView, addressed, home_view, homes_changed
from bot.usecases.welcome import welcome
from bot.verbs import Registry, Turn

MAX_DISPLAY_NAME = 200
"""The longest display name kept (the `person.display_name` column)."""

EventHandler = Callable[..., Awaitable[Outcome]]

EVENT_HANDLERS: dict[type[Any], EventHandler] = {
    MessagePosted: record_message,
    MessageEdited: record_edit,
    MessageDeleted: record_deletion,
    AppAdded: welcome,
}


@dataclass(frozen=True)
class Core:
    """The ports every use case may need and what the core knows how to do, built once
    by the composition root (tests may extend `verbs`)."""

    uow: UnitOfWorkFactory
    clock: Clock
    verbs: Registry = field(default=catalogue.VERBS)
    kinds: Mapping[str, WorkKind] = field(default_factory=lambda: catalogue.KINDS)
    presses: Mapping[str, PressHandler] = field(default_factory=lambda: catalogue.PRESSES)


async def handle_command(
    core: Core, ctx: Context, text: str, receipt: Receipt | None = None
) -> Outcome:
    """Parse `text` as a command and run it; user mistakes become a private answer.

    With a `receipt` (the inbox keys of the delivery that brought it), the delivery is
    marked handled and the replies queued in the outbox in the same transaction as the
    command's changes (see `bot.outbox`)."""
    try:
        return await run_command(core, ctx, parse(core.verbs, without_bidi_controls(text)), receipt)
    except UserError as exc:
        return await answer_mistake(core, ctx, exc, receipt)


async def handle_form(
    core: Core,
    ctx: Context,
    action: str,
    values: Mapping[str, str],
    receipt: Receipt | None = None,
) -> Outcome:
    """Run a submitted form (`bot.forms`) like the command its words would be."""
    try:
        # a form's inputs are plain text: a typed `<@` is kept escaped, as in typed commands
        visible = {
            name: without_bidi_controls(value).replace("<@", TYPED_MENTION_START)
            for name, value in values.items()
        }
        press = press_of_form(action, visible)
        if press is not None:
            return await handle_press(core, ctx, press, receipt)
        command = command_from_form(core.verbs, action, visible)
        return await run_command(core, ctx, command, receipt)
    except UserError as exc:
        return await answer_mistake(core, ctx, exc, receipt)


async def handle_press(
    core: Core, ctx: Context, press: Press, receipt: Receipt | None = None
) -> Outcome:
    """Run a pressed button (`bot.presses`) in one transaction with its receipt and answers;
    a mistake (not theirs to press, already done) is a private answer that changes nothing."""
    try:
        handler = core.presses.get(press.action)
        if handler is None:
            raise GrammarError("That button is not one I know any more.", example="help")
        now = core.clock.now()
        async with core.uow() as uow:
            await remember_actor(uow, ctx.actor)
            outcome = await handler(press, ctx=ctx, uow=uow, now=now)
            outcome = await settle(uow, outcome, receipt)
            await uow.commit()
        return outcome
    except UserError as exc:
        return await answer_mistake(core, ctx, exc, receipt)


async def show_home(core: Core, ctx: Context) -> HomeView:
    """The speaker's Home (`bot.usecases.home`), after remembering their name and profile
    zone (so a newcomer's times are in their own zone from the first look). Opening a
    Home carries no name: a name already known is kept."""
    async with core.uow() as uow:
        known = await uow.people.get(ctx.actor.user_id)
        actor = ctx.actor
        if known is not None and not actor.display_name:
            actor = replace(actor, display_name=known.display_name)
        await remember_actor(uow, actor)
        view = await home_view(
            uow, ctx.actor.user_id, core.clock.now(), command_prefix=ctx.command_prefix
        )
        await uow.commit()
    return view


async def homes_changed_by(core: Core, outcome: Outcome) -> set[str]:
    """Whose Home `outcome` may have changed: whoever it speaks to privately or directly,
    and every member of a set it posts in (read in a transaction only if it posts)."""
    people, places = addressed(outcome)
    if places:
        async with core.uow() as uow:
            people |= await homes_changed(uow, places)
    return people


async def run_command(
    core: Core, ctx: Context, command: Command, receipt: Receipt | None = None
) -> Outcome:
    """Authorise and run `command` in one transaction; the handler gets what
    authorisation found (`Access`) and never repeats its checks."""
    route = core.verbs.route(command)
    now = core.clock.now()
    async with core.uow() as uow:
        await remember_actor(uow, ctx.actor)
        access = await authorise(uow, ctx, route.rule, now)
        outcome = await route.handler(command, Turn(ctx, uow, now, access, core.verbs))
        outcome = await settle(uow, outcome, receipt)
        await uow.commit()
    return outcome


async def handle_event(core: Core, event: Event, receipt: Receipt | None = None) -> Outcome:
    """Feed a platform event to the core; unlike commands, events never answer errors.

    A message written to Revans in a 1:1 chat whose first word is a verb is that command,
    as it is in a Teams 1:1 (on Slack, a direct message: `actions mine`, `log …`, `help`);
    other words there are for the fishbowl (`bot.usecases.fishbowl.hold_direct`)."""
    if isinstance(event, MessagePosted) and _is_direct_command(core, event):
        ctx = Context(event.place, event.author)
        return await handle_command(core, ctx, event.text, receipt)
    handler = EVENT_HANDLERS[type(event)]
    async with core.uow() as uow:
        outcome = await handler(event, uow=uow, now=core.clock.now())
        outcome = await settle(uow, outcome, receipt)
        await uow.commit()
    return outcome


def _is_direct_command(core: Core, event: MessagePosted) -> bool:
    if event.place.kind is not PlaceKind.PERSONAL or event.thread_id is not None:
        return False
    first = event.text.strip().split(maxsplit=1)[:1]
    return bool(first) and first[0].lower() in core.verbs


async def answer_mistake(
    core: Core, ctx: Context, exc: UserError, receipt: Receipt | None
) -> Outcome:
    """The private answer to a mistake. The command's transaction rolled back; with a
    receipt, the answer is queued and the delivery marked handled in one of its own."""
    outcome = error_outcome(ctx, exc)
    if receipt is None:
        return outcome
    async with core.uow() as uow:
        outcome = await settle(uow, outcome, receipt)
        await uow.commit()
    return outcome


async def settle(uow: UnitOfWork, outcome: Outcome, receipt: Receipt | None) -> Outcome:
    """In the open transaction: mark the delivery handled and queue its replies."""
    if receipt is None:
        return outcome
    await uow.inbox.finish(receipt)
    return await uow.outbox.queue(outcome, origin=receipt.origin)


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


# --- due work: time as an input ----------------------------------------------------------


def kind_of(core: Core, item: DueWork) -> WorkKind:
    try:
        return core.kinds[item.kind]
    except KeyError:
        raise UnknownWorkKind(item.kind) from None


def precise_kinds(core: Core) -> frozenset[str]:
    """Kinds whose second matters (an in-memory timer backs their stored row)."""
    return frozenset(name for name, kind in core.kinds.items() if kind.precise)


async def evaluate_due(core: Core, item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    """What `item` comes to at `now`: stale work is dropped before its handler runs."""
    kind = kind_of(core, item)
    stale = kind.staleness(item, now)
    if stale is not None:
        return Drop(stale)
    return await kind.handler(item, uow=uow, now=now)


async def handle_due(
    core: Core,
    item: DueWork,
    *,
    queue: bool = False,
    deliverable: Callable[[Outcome], None] | None = None,
) -> DueResult:
    """Run `item`'s handler in one transaction (handlers may change state, e.g. end a
    phase). A kind this version does not declare raises `UnknownWorkKind`, which the
    scheduler retries and finally parks (a newer replica may know it).

    With `queue` (a server with an outbox, see `bot.outbox`), a `Send`'s outcome is
    queued in the same transaction under the origin `due:KEY`, so its effects and its
    answer commit together; work whose origin the outbox already holds (it committed
    before its worker died) is not run again: its answer is in the outbox already.
    `deliverable` may refuse an outcome before it is queued (raising, e.g. when no
    gateway serves its platform): the transaction then rolls back and nothing changes."""
    origin = f"due:{item.key}"
    async with core.uow() as uow:
        if queue and await uow.outbox.holds(origin):
            return Send(Outcome())
        result = await evaluate_due(core, item, uow=uow, now=core.clock.now())
        if queue and isinstance(result, Send):
            if deliverable is not None:
                deliverable(result.outcome)
            tagged = tag_with_key(item.key, result.outcome)
            result = Send(await uow.outbox.queue(tagged, origin=origin))
        await uow.commit()
    return result


async def preview_due(core: Core, item: DueWork, at: datetime) -> DueResult:
    """What `handle_due` would do at `at`, changing nothing (the transaction is rolled back)."""
    async with core.uow() as uow:
        return await evaluate_due(core, item, uow=uow, now=at)

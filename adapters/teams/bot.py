"""The Teams activity handler: keeps conversation references current and feeds
commands and contributions to the core. Replies are sent in background tasks after
the inbound request has been answered; the core's transaction commits before it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ActivityTypes

from adapters.apology import apology
from adapters.background import BackgroundTasks
from adapters.outbox_sender import OutboxSender
from adapters.teams.files import consent_answer_of
from adapters.teams.gateway import TeamsGateway
from adapters.teams.references import TeamsReferences
from adapters.teams.translate import (
    PLATFORM,
    InboundCommand,
    InboundForm,
    InboundPress,
    command_prefix_for,
    member_of,
    place_id_of,
    place_kind_for,
    place_of,
    reference_of,
    revans_removed,
    translate_added,
    translate_delete,
    translate_edit,
    translate_form_submit,
    translate_message,
    translate_press,
    unresolved_mentions,
)
from bot.context import Context
from bot.dispatch import Core, handle_command, handle_event, handle_form, handle_press
from bot.events import Event
from bot.messages import Message, Outcome, Outgoing, Private
from bot.model import Place
from bot.outbox import Receipt
from bot.presses import Press, press_of_form

log = logging.getLogger(__name__)

REMEMBER_ON = {
    ActivityTypes.message,
    ActivityTypes.conversation_update,
    ActivityTypes.installation_update,
}
UNKNOWN_ORIGIN = Message.text(
    "I can't tell which set that form belongs to, so nothing was changed. "
    "Type the command in your set's channel instead, e.g. `@Revans challenge YOUR TEXT`.",
    kind="error",
)


@dataclass(frozen=True)
class Reply:
    """An outcome to deliver once the inbound request is answered."""

    outcome: Outcome
    origin: str | None = None
    """The place the interaction came from: a form the outcome opens belongs there."""


DEFERRED = "revans.deferred_replies"
"""Turn-state key of a list of `Reply`s the endpoint sends once the request is answered."""
RAW_ACTIVITY = "revans.raw_activity"
RECEIPT = "revans.receipt"
"""Turn state: the inbox receipt of the activity (`bot.outbox.Receipt`), if it has one."""
SETTLED = "revans.settled"
"""Turn state: a list the bot appends to once the core has marked the delivery handled
(so the endpoint need not mark it again)."""
"""Turn-state key of the activity's JSON as received: botbuilder's `Activity` model
drops what its schema does not name (mention entities' `mentioned`, `tenantId`)."""


def as_json(turn_context: TurnContext) -> dict[str, Any]:
    raw = turn_context.turn_state.get(RAW_ACTIVITY)
    if isinstance(raw, dict):
        return raw
    data = turn_context.activity.serialize()
    return data if isinstance(data, dict) else {}


def settled(turn_context: TurnContext) -> None:
    """The core's transaction, which carried the receipt, has committed."""
    flags = turn_context.turn_state.get(SETTLED)
    if isinstance(flags, list) and receipt_of(turn_context) is not None:
        flags.append(True)


def receipt_of(turn_context: TurnContext) -> Receipt | None:
    receipt = turn_context.turn_state.get(RECEIPT)
    return receipt if isinstance(receipt, Receipt) else None


class RevansTeamsBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        core: Core,
        gateway: TeamsGateway,
        references: TeamsReferences,
        tasks: BackgroundTasks,
        verbs: Iterable[str],
        sender: OutboxSender,
    ) -> None:
        self.sender = sender
        self.core = core
        self.gateway = gateway
        self.references = references
        self.tasks = tasks
        self.verbs = tuple(verbs)

    async def on_turn(self, turn_context: TurnContext) -> None:
        if turn_context.activity.type in REMEMBER_ON:
            await self.remember(as_json(turn_context))
        await super().on_turn(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """The one invoke Revans implements is the answer to a file consent card
        (`adapters.teams.files`): acknowledged at once, the upload done after. Every
        other invoke (no message extensions, task modules, sign-in or Universal Actions:
        its cards use Action.Submit, which arrives as a message) is acknowledged with 200
        rather than botbuilder's 501 (or the 500 a malformed `adaptiveCard/action` made)."""
        answer = consent_answer_of(as_json(turn_context))
        if answer is not None:
            self.tasks.spawn(self.gateway.answer_file_consent(answer), name="file consent")
            return InvokeResponse(status=200)
        log.info("teams: an invoke was acknowledged; none is implemented")
        return InvokeResponse(status=200)

    async def remember(self, activity: dict[str, Any]) -> None:
        ref = reference_of(activity)
        if ref is None:
            return
        await self.references.remember_conversation(place_id_of(ref.conversation_id), ref)
        member = member_of(activity)
        if member is not None and member.member_id != ref.bot_id:
            personal = ref if ref.conversation_type == "personal" else None
            await self.references.remember_member(member, personal)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = as_json(turn_context)
        submitted = translate_form_submit(activity)
        if submitted is not None:
            await self.on_form(turn_context, submitted)
            return
        pressed = translate_press(activity)
        if pressed is not None:
            await self.on_press(turn_context, pressed)
            return
        known = await self.references.user_ids_for(unresolved_mentions(activity))
        inbound = translate_message(activity, self.verbs, known)
        if isinstance(inbound, InboundCommand):
            ctx = Context(inbound.place, inbound.actor, inbound.command_prefix)
            handling = handle_command(self.core, ctx, inbound.text, receipt_of(turn_context))
            await self.run(turn_context, ctx, handling)
        elif inbound is not None:
            await self.feed(turn_context, inbound)

    async def on_form(self, turn_context: TurnContext, submitted: InboundForm) -> None:
        """Run a submitted form card in the place it was opened for.

        The card's place is checked against the conversations we hold (and must be a
        set's channel or group chat); the core then authorises the actor there exactly
        as it would the typed command, so a forged place gains nothing.
        """
        ctx = await self.origin_context(submitted)
        if press_of_form(submitted.action, submitted.values) is not None:
            # a button's form (a progress note on a nudge): it belongs to the 1:1 it is in
            place = place_of(as_json(turn_context))
            ctx = Context(place, submitted.actor, command_prefix_for(place, "Revans"))
        if ctx is None:
            log.info("teams: a form submitted for an unknown place was refused")
            answer = Outgoing(Private(submitted.actor.user_id, None), UNKNOWN_ORIGIN)
            self.send_later(turn_context, Outcome((answer,)))
            return
        form = handle_form(
            self.core, ctx, submitted.action, submitted.values, receipt_of(turn_context)
        )
        await self.run(turn_context, ctx, form)

    async def on_press(self, turn_context: TurnContext, pressed: InboundPress) -> None:
        """A button on one of our cards, pressed where the card is (a nudge: the 1:1);
        the core checks who may press it, and answers by updating the card in place."""
        ctx = Context(pressed.place, pressed.actor, command_prefix_for(pressed.place, "Revans"))
        press = Press(pressed.action, pressed.value)
        await self.run(
            turn_context, ctx, handle_press(self.core, ctx, press, receipt_of(turn_context))
        )

    async def origin_context(self, submitted: InboundForm) -> Context | None:
        if submitted.origin is None:
            return None
        ref = await self.references.conversation(submitted.origin)
        if ref is None or ref.conversation_type == "personal":
            return None
        place = Place(submitted.origin, place_kind_for(ref.conversation_type), PLATFORM)
        return Context(place, submitted.actor, command_prefix_for(place, ref.bot_name))

    async def run(
        self, turn_context: TurnContext, ctx: Context, handling: Awaitable[Outcome]
    ) -> None:
        try:
            outcome = await handling
            settled(turn_context)
        except Exception as exc:
            log.error("teams: command failed (%s)", type(exc).__name__)
            outcome = apology(ctx)
        self.sender.crash_point("after commit")
        # A form the core opens goes to the 1:1 as a card that belongs to this place.
        self.send_later(turn_context, outcome, origin=ctx.place.id)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """Members added or removed, a channel created or renamed: only Revans being added
        matters (its reference was remembered in `on_turn`); botbuilder's own dispatch
        would look every added member up through the connector, for nothing."""
        await self.on_added(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self.on_added(turn_context)

    async def on_added(self, turn_context: TurnContext) -> None:
        """Revans added to a team, a group chat or a person's 1:1: one welcome there. The
        endpoint claimed the place's `welcome:` inbox key, so when Teams announces the
        installation twice, the second announcement never reaches this. Revans removed:
        the place's reference is forgotten, so proactive sends there stop."""
        activity = as_json(turn_context)
        if revans_removed(activity):
            place = place_of(activity)
            await self.references.forget_conversation(place.id)
            log.info("teams: removed from a %s; proactive sends there stop", place.kind.value)
            return
        event = translate_added(activity)
        if event is not None:
            await self.feed(turn_context, event)

    async def on_teams_message_edit(self, turn_context: TurnContext) -> None:
        activity = as_json(turn_context)
        known = await self.references.user_ids_for(unresolved_mentions(activity))
        event = translate_edit(activity, known)
        if event is not None:
            await self.feed(turn_context, event)

    async def on_teams_message_soft_delete(self, turn_context: TurnContext) -> None:
        event = translate_delete(as_json(turn_context))
        if event is not None:
            await self.feed(turn_context, event)

    async def feed(self, turn_context: TurnContext, event: Event) -> None:
        outcome = await handle_event(self.core, event, receipt_of(turn_context))
        settled(turn_context)
        self.send_later(turn_context, outcome)

    def send_later(
        self, turn_context: TurnContext, outcome: Outcome, *, origin: str | None = None
    ) -> None:
        """Deliver after the inbound request is answered (the endpoint starts it);
        `origin` is the place the interaction came from, where its forms belong."""
        if not outcome.messages and not outcome.forms:
            return
        reply = Reply(outcome, origin)
        deferred = turn_context.turn_state.get(DEFERRED)
        if isinstance(deferred, list):
            deferred.append(reply)
        else:
            self.spawn_delivery(reply)

    def spawn_delivery(self, reply: Reply) -> None:
        gateway = self.gateway.answering(reply.origin)
        self.tasks.spawn(self.sender.send(reply.outcome, gateway), name="reply delivery")

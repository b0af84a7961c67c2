"""Bolt middleware and listeners: inbox row, acknowledgement, then the core in the background.

Order for every signed delivery: bolt checks the signature and timestamp (401 if
wrong), our inbox middleware writes the delivery's keys (a duplicate stops here
with a 200), the listener acknowledges, and the slow work — the core's
transaction and the Web API calls — runs as a tracked background task.

A slash command's or event's body is kept with its inbox row until it is handled
(see `adapters.store.inbox`): if this process dies after the acknowledgement,
`replay_stuck` (here or on another replica) hands the stored body to the same
handling once the row's lease runs out. The stored body was verified when it was
written, so it is not verified again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.response import BoltResponse

from adapters.apology import apology
from adapters.background import BackgroundTasks
from adapters.outbox_sender import OutboxSender
from adapters.slack.gateway import SlackGateway
from adapters.slack.home import HomeReplies, home_payload
from adapters.slack.installations import SqlInstallationStore
from adapters.slack.metrics import SlackMetrics
from adapters.slack.profiles import ProfileZones
from adapters.slack.replies import CommandReplies
from adapters.slack.translate import (
    blank_inputs,
    button_press,
    command_context,
    command_text,
    form_submission,
    home_opened,
    message_event,
    message_key,
)
from adapters.store.grouped_inbox import GroupedInbox
from adapters.store.inbox import Inbox
from bot.context import Context
from bot.delivery import deliver
from bot.dispatch import (
    Core,
    handle_command,
    handle_event,
    handle_form,
    handle_press,
    homes_changed_by,
    show_home,
)
from bot.errors import DeliveryError, RateLimited
from bot.events import Event, MessagePosted
from bot.messages import Outcome
from bot.model import Actor, Place, PlaceKind
from bot.outbox import Receipt

log = logging.getLogger(__name__)

SOURCE = "slack"
INBOX_KEYS = "revans_inbox_keys"
REPLAYED = ("command", "event")
REPLAY_BATCH = 50
"""Kinds whose body is kept until handled, so a handler that died can be replayed."""
REPLAY_EVERY_SECONDS = 5.0
"""How often unfinished deliveries of dead processes are looked for; each look drains
them all, batch after batch, so a backlog is replayed at full speed."""
HOMES_REMEMBERED = 5000
"""How many people's App Home one process keeps following (see `homes_shown`)."""
BLANK_FIELD = "Please write something here (or press Cancel to leave it as it was)."


def delivery_keys(body: Mapping[str, Any]) -> list[str]:
    """The inbox keys of one delivery: event id, message (team, channel, ts), trigger id.

    Interactions (a modal's `view_submission` too) are keyed by their trigger id, which
    is fresh for every submission: a modal sent back with field errors and submitted
    again keeps its `view.id`, so that id would wrongly mark the second try a duplicate.
    """
    keys: list[str] = []
    if body.get("event_id"):
        keys.append(f"event:{body['event_id']}")
    message = message_key(body)
    if message:
        keys.append(message)
    trigger = body.get("trigger_id")
    if trigger and not keys:
        keys.append("trigger:" + hashlib.sha256(str(trigger).encode()).hexdigest()[:40])
    return keys


def delivery_kind(body: Mapping[str, Any]) -> str:
    if body.get("command"):
        return "command"
    if body.get("type") == "event_callback":
        return "event"
    return "interaction" if body.get("trigger_id") else "other"


def _kind_name(kind: object) -> str:
    """A delivery's type as Slack names it, for a log line; anything else is "malformed"."""
    text = str(kind or "untyped")
    return text if len(text) <= 40 and text.replace("_", "").isalnum() else "malformed"


def _written_to_revans(event: Event) -> MessagePosted | None:
    """A message in a 1:1 with Revans (where commands run), else None."""
    if isinstance(event, MessagePosted) and event.place.kind is PlaceKind.PERSONAL:
        return event
    return None


def log_failure(what: str, exc: BaseException) -> None:
    """Exception type and stack frames only: messages can carry SQL parameters or text."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("slack: %s failed with %s\n%s", what, type(exc).__name__, frames)


@dataclass
class SlackHandlers:
    core: Core
    gateway: SlackGateway
    inbox: Inbox
    tasks: BackgroundTasks
    metrics: SlackMetrics
    command_prefix: str
    sender: OutboxSender
    """Sends each committed answer, recording it sent (see `bot.outbox`)."""
    profiles: ProfileZones | None = None
    """Slack profile time zones (users.info); None leaves `Actor.platform_tz` unset."""
    in_flight: set[str] = field(default_factory=set)
    """Inbox keys this process is handling: a replayer here never takes them over."""
    installations: SqlInstallationStore | None = None
    """Multi-workspace mode: each workspace's bot token (`on_lifecycle` deletes them)."""
    homes_shown: dict[str, None] = field(default_factory=dict)
    """People whose App Home this process has published, oldest first (at most
    `HOMES_REMEMBERED`): their Home is published again after each command or press of
    theirs, so it follows their changes while they look at it."""

    def __post_init__(self) -> None:
        self.deliveries = GroupedInbox(self.inbox, SOURCE, self.core.clock.now)
        """Claims and finishes in group commits: under load many share one transaction."""

    async def inbox_middleware(
        self,
        body: dict[str, Any],
        context: dict[str, Any],
        resp: BoltResponse,
        next: Callable[[], Awaitable[None]],
    ) -> BoltResponse | None:
        keys = delivery_keys(body)
        kind = delivery_kind(body)
        payload = json.dumps(body) if kind in REPLAYED else None
        async with self.tasks.urgent():
            first = await self.deliveries.claim(keys, payload)
        if not first:
            self.metrics.inbound.labels(kind, "duplicate").inc()
            log.info("slack: duplicate %s delivery acknowledged, not handled again", kind)
            return BoltResponse(status=200, body="")
        self.metrics.inbound.labels(kind, "new").inc()
        context[INBOX_KEYS] = keys
        await next()
        return resp  # 200 rather than 404 for deliveries no listener takes: no retries

    async def on_command(
        self, ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        await ack()
        work = await self._command_work(body, context.get(INBOX_KEYS, []))
        if work is not None:
            self.tasks.spawn(work, name="command")

    async def _command_work(
        self, body: Mapping[str, Any], keys: Sequence[str]
    ) -> Coroutine[Any, Any, None] | None:
        """The handling of a slash command, or None (and the delivery finished) if unusable."""
        try:
            ctx = command_context(body, self.command_prefix)
            text, response_url = command_text(body), body.get("response_url")
        except KeyError:  # bolt would answer a listener's exception with a 500
            log.warning("slack: a slash command without its team, user or channel id was ignored")
            self.metrics.handled.labels("command", "ignored").inc()
            await self._finish(keys)
            return None
        self.in_flight.update(keys)
        return self.run_command(ctx, text, response_url, keys)

    async def run_command(
        self, ctx: Context, text: str, response_url: str | None, keys: Sequence[str]
    ) -> None:
        receipt = Receipt(SOURCE, tuple(keys))
        await self._run(
            "command",
            ctx,
            lambda c: handle_command(self.core, c, text, receipt),
            response_url,
            keys,
        )

    async def on_view_submission(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        """A submitted modal: blank inputs go back to the modal as field errors (it stays
        open); anything else closes it, and the core answers privately in the place the
        form was asked for."""
        keys = context.get(INBOX_KEYS, [])
        blank = blank_inputs(body.get("view") or {})
        if blank:
            await ack(response_action="errors", errors={block: BLANK_FIELD for block in blank})
            self.metrics.handled.labels("form", "invalid").inc()
            await self._finish(keys)
            return
        await ack()
        submission = form_submission(body, self.command_prefix)
        if submission is None:
            log.warning("slack: a view_submission that is not one of our forms was ignored")
            self.metrics.handled.labels("form", "ignored").inc()
            await self._finish(keys)
            return
        action, values = submission.action, submission.values
        receipt = Receipt(SOURCE, tuple(keys))
        self.tasks.spawn(
            self._run(
                "form",
                submission.ctx,
                lambda c: handle_form(self.core, c, action, values, receipt),
                None,
                keys,
            ),
            name="form",
        )

    async def on_block_action(
        self, ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        """A pressed button: acknowledged at once; the core's turn (the press, its inbox
        row and its answers in one transaction) and the message's update run after."""
        await ack()
        keys = context.get(INBOX_KEYS, [])
        pressed = button_press(body, self.command_prefix)
        if pressed is None:
            log.warning("slack: a block action that is not one of our buttons was ignored")
            self.metrics.handled.labels("press", "ignored").inc()
            await self._finish(keys)
            return
        press, response_url = pressed.press, body.get("response_url")
        receipt = Receipt(SOURCE, tuple(keys))
        self.tasks.spawn(
            self._run(
                "press",
                pressed.ctx,
                lambda c: handle_press(self.core, c, press, receipt),
                str(response_url) if response_url else None,
                keys,
                from_home=pressed.from_home,
            ),
            name="press",
        )

    async def _run(
        self,
        kind: str,
        ctx: Context,
        work: Callable[[Context], Awaitable[Outcome]],
        response_url: str | None,
        keys: Sequence[str],
        *,
        from_home: bool = False,
    ) -> None:
        """One command, form or press: the speaker's profile zone, the core's turn, the
        answers; a press on the App Home tab then publishes the presser's Home again."""
        replies = (
            HomeReplies(self.gateway, ctx.place.id, ctx.actor.user_id)
            if from_home
            else CommandReplies(
                self.gateway, ctx.place.id, ctx.actor.user_id, response_url, kind=ctx.place.kind
            )
        )
        try:
            ctx = await self._with_profile_zone(ctx)
            async with self.tasks.turn():
                outcome = await work(ctx)
            self.sender.crash_point("after commit")
            await self.sender.send(outcome, replies)
            if from_home:
                await self.publish_home(ctx)
            elif ctx.actor.user_id in self.homes_shown:
                await self._republish_home(ctx)
            await self._refresh_homes(outcome, ctx.place, but=ctx.actor.user_id)
            self.metrics.handled.labels(kind, "ok").inc()
        except DeliveryError as exc:
            self._undelivered(kind, exc)
        except Exception as exc:
            self.metrics.handled.labels(kind, "failed").inc()
            log_failure(f"a {kind}", exc)
            await self._apologise(replies, ctx)
        # Not in a `finally`: a worker killed or cancelled mid-way leaves the row to be
        # replayed (if the core committed, its receipt has marked it handled already).
        await self._finish(keys)

    async def _with_profile_zone(self, ctx: Context) -> Context:
        if self.profiles is None:
            return ctx
        zone = await self.profiles.zone(ctx.actor.user_id)
        return replace(ctx, actor=replace(ctx.actor, platform_tz=zone)) if zone else ctx

    async def on_message(
        self, ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        await ack()
        work = await self._event_work(body, context.get(INBOX_KEYS, []))
        if work is not None:
            self.tasks.spawn(work, name="event")

    async def _event_work(
        self, body: Mapping[str, Any], keys: Sequence[str]
    ) -> Coroutine[Any, Any, None] | None:
        event = message_event(body)
        if event is None:
            await self._finish(keys)
            return None
        self.in_flight.update(keys)
        return self.run_event(event, keys)

    async def run_event(self, event: Event, keys: Sequence[str]) -> None:
        try:
            async with self.tasks.turn():
                outcome = await handle_event(self.core, event, Receipt(SOURCE, tuple(keys)))
            await self.sender.send(outcome, self.gateway)
            direct = _written_to_revans(event)
            if direct is not None and direct.author.user_id in self.homes_shown:
                actor = Actor(direct.author.user_id, "")  # keeps the name Revans knows
                await self._republish_home(Context(direct.place, actor, self.command_prefix))
            author = direct.author.user_id if direct is not None else ""
            await self._refresh_homes(outcome, event.place, but=author)
            self.metrics.handled.labels("event", "ok").inc()
        except DeliveryError as exc:
            self._undelivered("event", exc)
        except Exception as exc:
            self.metrics.handled.labels("event", "failed").inc()
            log_failure("an event", exc)
        await self._finish(keys)  # not on a kill or cancel: see `_run`

    async def on_home_opened(
        self, ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        """The App Home tab opened: acknowledged at once, the person's Home published after."""
        await ack()
        work = await self._home_work(body, context.get(INBOX_KEYS, []))
        if work is not None:
            self.tasks.spawn(work, name="home")

    async def _home_work(
        self, body: Mapping[str, Any], keys: Sequence[str]
    ) -> Coroutine[Any, Any, None] | None:
        ctx = home_opened(body, self.command_prefix)
        if ctx is None:  # the Messages tab, or an event without its user
            await self._finish(keys)
            return None
        self.in_flight.update(keys)
        return self.run_home(ctx, keys)

    async def run_home(self, ctx: Context, keys: Sequence[str]) -> None:
        try:
            await self.publish_home(await self._with_profile_zone(ctx))
            self.metrics.handled.labels("home", "ok").inc()
        except DeliveryError as exc:
            self._undelivered("home", exc)
        except Exception as exc:
            self.metrics.handled.labels("home", "failed").inc()
            log_failure("an App Home", exc)
        await self._finish(keys)  # not on a kill or cancel: see `_run`

    async def publish_home(self, ctx: Context) -> None:
        """Build the person's Home (a short transaction) and publish it (views.publish)."""
        async with self.tasks.turn():
            view = await show_home(self.core, ctx)
        await self.gateway.publish_home(ctx.actor.user_id, home_payload(view))
        self.homes_shown.pop(ctx.actor.user_id, None)
        self.homes_shown[ctx.actor.user_id] = None
        while len(self.homes_shown) > HOMES_REMEMBERED:
            del self.homes_shown[next(iter(self.homes_shown))]

    async def _refresh_homes(self, outcome: Outcome, place: Place, *, but: str) -> None:
        """Publish again the Homes this process shows of the others `outcome` concerns
        (members of a set it posted in, people it wrote to): a facilitator's change
        reaches their Homes without waiting for them to act. `but` was handled already."""
        if not outcome.messages or not self.homes_shown.keys() - {but}:
            return  # nobody else's Home is shown here: nothing to read
        try:
            concerned = await homes_changed_by(self.core, outcome)
        except Exception as exc:
            log_failure("finding the Homes to refresh", exc)
            return
        for user_id in sorted(concerned - {but}):
            if user_id in self.homes_shown:
                actor = Actor(user_id, "")  # keeps the name Revans knows
                await self._republish_home(Context(place, actor, self.command_prefix))

    async def _republish_home(self, ctx: Context) -> None:
        """The Home again after a command or press elsewhere: its answers went out
        already, so a failure here is only logged."""
        try:
            await self.publish_home(ctx)
        except DeliveryError as exc:
            self._undelivered("home", exc)
        except Exception as exc:
            log_failure("an App Home refresh", exc)

    async def on_lifecycle(
        self, ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        await ack()
        event = body.get("event") or {}
        kind, team = event.get("type"), body.get("team_id")
        if self.installations is None:
            # Single-workspace mode: the token comes from the environment, so there is
            # nothing stored to delete; an operator must rotate or remove SLACK_BOT_TOKEN.
            log.warning("slack: %s for workspace %s; remove or replace SLACK_BOT_TOKEN", kind, team)
        else:
            await self._forget_tokens(kind, body, event)
        await self._finish(context.get(INBOX_KEYS, []))

    async def _forget_tokens(
        self, kind: object, body: dict[str, Any], event: dict[str, Any]
    ) -> None:
        """Multi-workspace mode: the workspace's bot token goes when the app is uninstalled
        or its bot token revoked (user tokens are never kept); no other workspace's."""
        assert self.installations is not None
        enterprise = body.get("enterprise_id") or None
        team = body.get("team_id") or None
        if body.get("is_enterprise_install") and enterprise:
            team = None  # an org-wide install is keyed by the org
        if kind == "app_uninstalled":
            await self.installations.async_delete_all(enterprise_id=enterprise, team_id=team)
        elif (event.get("tokens") or {}).get("bot"):
            await self.installations.async_delete_bot(enterprise_id=enterprise, team_id=team)
        else:
            log.info("slack: %s for workspace %s: no bot token revoked", kind, team)

    async def on_error(
        self, error: Exception, body: dict[str, Any], context: dict[str, Any]
    ) -> BoltResponse:
        """Bolt's error handler: a signed delivery no listener takes is acknowledged (200:
        Slack would retry anything else) and finished; any other error is one log line with
        its type and frames (no message: it may quote the body) and a 500, so Slack retries."""
        if isinstance(error, BoltUnhandledRequestError):
            event = body.get("event")
            what = event.get("type") if isinstance(event, dict) else body.get("type")
            log.info("slack: a %s delivery no listener takes was acknowledged", _kind_name(what))
            await self._finish(context.get(INBOX_KEYS, []))
            return BoltResponse(status=200, body="")
        log_failure("a delivery", error)
        return BoltResponse(status=500, body="")

    async def _finish(self, keys: Sequence[str]) -> None:
        """Mark the delivery done (its stored body goes); a row left `received` by a
        failure here is replayed after its lease, and purged in time."""
        try:
            await self.deliveries.finish(keys)
        except Exception as exc:
            log_failure("marking a delivery done", exc)
        finally:
            self.in_flight.difference_update(keys)

    async def replay_stuck(self) -> int:
        """Handle again the deliveries whose handler died after acknowledging them.

        Each is taken over by the inbox's lease rule, handled like a live delivery
        (as tracked background work, so shutdown waits for it) and then finished.
        Returns how many were replayed; logs counts and kinds only.
        """
        taken = await self.inbox.take_stuck(
            SOURCE, self.core.clock.now(), skip=set(self.in_flight), limit=REPLAY_BATCH
        )
        running: list[asyncio.Task[None]] = []
        for key, payload in taken:
            work = await self._replay_work(key, payload)
            task = self.tasks.spawn(work, name="replay") if work is not None else None
            if task is not None:
                running.append(task)
        if taken:
            log.warning("slack: replaying %d delivery(ies) whose handler died", len(taken))
        if running:
            await asyncio.wait(running)  # not gather: a cancelled replayer leaves them running
        return len(taken)

    async def _replay_work(self, key: str, payload: str) -> Coroutine[Any, Any, None] | None:
        try:
            body = json.loads(payload)
            if not isinstance(body, dict):
                raise TypeError("stored body is not an object")
        except (ValueError, TypeError) as exc:
            log.warning("slack: an unreadable stored delivery was dropped (%s)", type(exc).__name__)
            await self._finish([key])
            return None
        keys = delivery_keys(body)
        if key not in keys:
            keys.insert(0, key)
        kind = delivery_kind(body)
        self.metrics.inbound.labels(kind, "replayed").inc()
        if kind == "command":
            return await self._command_work(body, keys)
        if kind == "event":
            if (body.get("event") or {}).get("type") == "app_home_opened":
                return await self._home_work(body, keys)
            return await self._event_work(body, keys)
        await self._finish(keys)
        return None

    async def keep_replaying(self, every: float = REPLAY_EVERY_SECONDS) -> None:
        """Replay stuck deliveries now and every `every` seconds, until cancelled.

        A failed round (the database briefly away) is logged by type and tried again.
        """
        while True:
            try:
                while await self.replay_stuck() >= REPLAY_BATCH:
                    pass  # a backlog: the next batch at once
            except Exception as exc:
                log.warning("slack: replaying stuck deliveries failed (%s)", type(exc).__name__)
            await asyncio.sleep(every)

    async def keep_renewing(self) -> None:
        """Keep the leases of the deliveries this process is handling fresh, so that a
        short lease is taken over quickly when a process dies, never while it works."""
        every = self.inbox.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            try:
                await self.inbox.renew(SOURCE, sorted(self.in_flight), self.core.clock.now())
            except Exception as exc:
                log.warning("slack: renewing leases failed (%s)", type(exc).__name__)

    def _undelivered(self, kind: str, exc: DeliveryError) -> None:
        """The core's work is committed; only the answer did not get through."""
        self.metrics.handled.labels(kind, "undelivered").inc()
        if isinstance(exc, RateLimited):
            log.warning("slack: %s answer still rate limited after retrying (%s)", kind, exc)
        else:
            log.warning("slack: %s answer not delivered (%s)", kind, exc)

    async def _apologise(self, replies: CommandReplies, ctx: Context) -> None:
        try:
            await deliver(replies, apology(ctx))
        except DeliveryError as exc:
            log.warning("slack: apology not delivered (%s)", exc)
        except Exception as exc:  # the failure it apologises for is logged already
            log.warning("slack: apology not delivered (%s)", type(exc).__name__)

"""Sending what the outbox holds: a just-committed outcome at once, and anything a dead
process left unsent once its lease runs out (see `bot.outbox`, `adapters.store.outbox`).

Live path (`send`): the adapter that ran the command hands over the committed outcome
and the gateway to answer through (e.g. a Slack command's own reply gateway); each
item is sent in order and then marked sent. A failed item is retried later by the
drain (after `Retry-After` for a 429, with back-off otherwise), so the rest of the
answer is not held up.

Takeover (`drain`): rows whose lease ran out are taken in order and sent through the
gateway of their platform, at full speed until none are left. A row that may have
been sent before its sender died is checked first where the platform lets us
(`AlreadySent`: a Slack post carries its outbox id as message metadata), so it is
not posted twice; elsewhere the window for a duplicate is a crash between sending
and recording.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from adapters.store.message_codec import Item, audience_ids
from adapters.store.outbox import OutboxStore, Unsent
from bot.delivery import RefBook, deliver
from bot.errors import DeliveryError, RateLimited, Undeliverable
from bot.messages import OpenForm, Outcome, Outgoing, Public
from bot.ports import ChatGateway, GatewayResolver, NoGateway

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)


CrashPoint = Callable[[str], None]
"""Called at each step of delivering a committed answer ("after commit", "after first
send", "before mark sent"): a no-op in production; fault-injection tests make it kill
the worker there, as a crash would."""


def no_crash(step: str) -> None:
    return None


DRAIN_EVERY_SECONDS = 5.0
BACKOFF_START = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=10)


@runtime_checkable
class AlreadySent(Protocol):
    """A gateway that can tell whether a public post with this key is already there."""

    async def posted_with_key(self, place_id: str, key: str, since: datetime) -> bool: ...


def backoff(attempts: int) -> timedelta:
    doubled: timedelta = BACKOFF_START * 2 ** max(attempts - 1, 0)
    return min(doubled, BACKOFF_MAX)


def _single(item: Item) -> Outcome:
    if isinstance(item, OpenForm):
        return Outcome(forms=(item,))
    return Outcome((item,))


class OutboxSender:
    def __init__(
        self,
        store: OutboxStore,
        resolve: GatewayResolver,
        now: Callable[[], datetime],
        *,
        refs: RefBook | None = None,
        crash_point: CrashPoint = no_crash,
    ) -> None:
        self.refs = refs
        """Where refs of remembered messages are kept (a round's message, updated in place)."""
        self.crash_point = crash_point
        self.store = store
        self.resolve = resolve
        self.now = now
        self.in_flight: set[str] = set()
        """Rows this process is sending on the live path: the drain leaves them alone."""
        self._sent: list[tuple[str, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def send(
        self, outcome: Outcome, gateway: ChatGateway | None = None, *, forms_first: bool = True
    ) -> None:
        """Send a committed outcome's items in order through `gateway` (or each through
        its platform's), then record them sent; a failed item is left to the drain."""
        items: list[Item] = [*outcome.forms, *outcome.messages]
        if not forms_first:
            items = [*outcome.messages, *outcome.forms]
        ids = [i.outbox_id for i in items if i.outbox_id]
        self.in_flight.update(ids)
        sent: list[str] = []
        try:
            for item in items:
                if await self._try_routed(item, gateway) and item.outbox_id:
                    sent.append(item.outbox_id)
                    if len(sent) == 1:
                        self.crash_point("after first send")
            self.crash_point("before mark sent")
        except Exception:
            await self.mark_sent(sent)  # an error, not a death: record what did go
            raise
        else:
            await self.mark_sent(sent)
        finally:  # cancelled or killed: the rows stay pending and are taken over
            self.in_flight.difference_update(ids)

    async def mark_sent(self, ids: list[str]) -> None:
        """Record sends; marks that arrive while a write is under way go together in the
        next one transaction (a group commit), so a busy server does not pay a commit for
        every reply."""
        if not ids:
            return
        loop = asyncio.get_running_loop()
        futures = []
        for row_id in ids:
            future: asyncio.Future[None] = loop.create_future()
            self._sent.append((row_id, future))
            futures.append(future)
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write_sent())
        await asyncio.shield(asyncio.gather(*futures))

    async def _write_sent(self) -> None:
        while self._sent:
            batch, self._sent = self._sent, []
            try:
                await self.store.mark_sent([row_id for row_id, _ in batch], self.now())
            except Exception as exc:  # every waiter sees it; the rows stay pending (resent)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def drain(self) -> int:
        """Send every row whose lease ran out, batch after batch; returns rows taken."""
        taken = 0
        while True:
            batch = await self.store.take(self.now(), skip=sorted(self.in_flight))
            if not batch:
                return taken
            taken += len(batch)
            results = await asyncio.gather(*map(self._resend, batch), return_exceptions=True)
            await self.mark_sent([r.id for r in results if isinstance(r, Unsent)])
            for row, result in zip(batch, results, strict=True):
                if not isinstance(result, BaseException):
                    continue
                if not isinstance(result, Exception):  # cancelled: what went is recorded
                    raise result
                # One row's unexpected error must not lose the others' marks (they would
                # be sent again): it is retried after a counted back-off, then parked.
                log.error("outbox: a send raised %s; it will be retried", type(result).__name__)
                at = self.now() + backoff(row.attempts + 1)
                await self.store.retry(row.id, at, type(result).__name__)

    async def keep_draining(self, every: float = DRAIN_EVERY_SECONDS) -> None:
        """Drain now and then every `every` seconds, until cancelled."""
        while True:
            try:
                await self.drain()
            except Exception as exc:  # the database briefly away: try again next time
                log.warning("outbox: drain failed (%s)", type(exc).__name__)
            await asyncio.sleep(every)

    async def _resend(self, row: Unsent) -> Unsent | None:
        place_id, user_id = audience_ids(row.item)
        try:
            gateway = self.resolve(place_id or user_id or "")
        except NoGateway:
            await self.store.retry(row.id, self.now() + BACKOFF_MAX, "NoGateway")
            return None
        if await self._posted_before(row, gateway):
            return row
        return row if await self._try(row.item, gateway, row.id, failed=row.attempts) else None

    async def _posted_before(self, row: Unsent, gateway: ChatGateway) -> bool:
        item = row.item
        if not (isinstance(item, Outgoing) and isinstance(item.to, Public)):
            return False
        if not isinstance(gateway, AlreadySent) or item.message.key is None:
            return False
        try:
            since = self.now() - timedelta(days=1)
            return await gateway.posted_with_key(item.to.place_id, item.message.key, since)
        except DeliveryError:
            return False  # cannot tell: send it (at least once)

    async def _try_routed(self, item: Item, gateway: ChatGateway | None) -> bool:
        if gateway is None:
            place_id, user_id = audience_ids(item)
            try:
                gateway = self.resolve(place_id or user_id or "")
            except NoGateway:
                if item.outbox_id:
                    await self.store.retry(item.outbox_id, self.now() + BACKOFF_MAX, "NoGateway")
                return False
        return await self._try(item, gateway, item.outbox_id)

    async def _try(
        self, item: Item, gateway: ChatGateway, row_id: str | None, *, failed: int = 0
    ) -> bool:
        """Send one item; True if it is done with (sent, or a form past saving)."""
        try:
            await deliver(gateway, _single(item), self.refs)
            return True
        except DeliveryError as exc:
            if isinstance(item, OpenForm):  # its trigger lasts seconds: a retry cannot open it
                log.warning("outbox: a form was not opened (%s)", type(exc).__name__)
                return True
            if isinstance(exc, Undeliverable):  # removed from the place: it will not come back
                log.warning("outbox: a send was dropped (%s)", type(exc).__name__)
                return True
            if row_id is None:
                return False
            if isinstance(exc, RateLimited):
                at = self.now() + timedelta(seconds=exc.retry_after)
                await self.store.retry(row_id, at, "RateLimited", counts=False)
            else:
                log.warning("outbox: a send failed (%s); it will be retried", type(exc).__name__)
                await self.store.retry(row_id, self.now() + backoff(failed + 1), type(exc).__name__)
            return False


SENT_RETENTION = timedelta(days=1)


class OutboxService:
    """Mounted in the web app: drains the outbox now and every few seconds, and forgets
    sent rows after a day (they hold ids only by then)."""

    def __init__(self, sender: OutboxSender, *, every: float = DRAIN_EVERY_SECONDS) -> None:
        self.sender = sender
        self.every = every
        self._tasks: list[asyncio.Task[None]] = []

    def mount(self, app: web.Application) -> None:
        async def start(_: web.Application) -> None:
            self._tasks.append(asyncio.create_task(self.sender.keep_draining(self.every)))
            self._tasks.append(asyncio.create_task(self._keep_forgetting()))

        async def stop(_: web.Application) -> None:
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        app.on_startup.append(start)
        app.on_shutdown.append(stop)

    async def _keep_forgetting(self) -> None:
        while True:
            try:
                await self.sender.store.purge(self.sender.now() - SENT_RETENTION)
            except Exception as exc:
                log.warning("outbox: forgetting sent replies failed (%s)", type(exc).__name__)
            await asyncio.sleep(3600)

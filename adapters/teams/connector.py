"""A Bot Connector REST client: one per service URL, reused across activities.

Why aiohttp directly rather than botbuilder's `ConnectorClient` (msrest):
- botbuilder builds a new `ConnectorClient` (and HTTP pipeline) per activity, which
  caps a bare echo bot at about 80 replies/s here; one `aiohttp.ClientSession`
  shared by every service URL keeps connections alive and costs a dict lookup;
- msrest neither retries 429 nor exposes `Retry-After` cleanly, and its retry policy
  replays any 5xx on every method, a POST that sends a message included;
- botframework-connector's `MicrosoftAppCredentials` fetches tokens through msal,
  which is synchronous (it would block the event loop), insists on https
  authorities and runs instance discovery against login.microsoftonline.com, so
  it cannot be pointed at a local fake. The client-credentials grant is one
  documented POST (`adapters.teams.tokens`).

Every call takes a turn in its conversation's windows and its tenant's
(`adapters.pacing`). Retries follow Teams' advice (retry 429, 412, 502 and 504 with
exponential back-off and random jitter), limited to where a repeat cannot post twice:
- 429 and 412 mean the request was refused before it was carried out: always retried.
  Any retried answer that carries `Retry-After` (a 429 always does) is retried after it
  (plus jitter); a longer wait than `MAX_RETRY_AFTER` is raised as `RateLimited` for the
  caller to re-queue;
- 502, 504 and other 5xx on a *send* (POST of an activity: a message or a reply) are
  not retried here: the gateway in front of Teams may have passed the message on before
  it failed, and Teams keeps no key to recognise a repeat, so an immediate replay can
  post the message twice. They raise `Unconfirmed`; the outbox (or the due-work queue)
  tries the send again later, after its back-off, so a failed send is not lost;
- on the calls whose repeat changes nothing (updating an activity in place, a PUT;
  creating a 1:1, which for the same bot and member gives back the same conversation)
  5xx are retried here with back-off and jitter;
- the same rule holds when no answer comes at all: a request that never reached the
  Bot Connector (the connection could not be made) is retried like a 412, while a
  connection dropped or timed out after the request went out is `Unconfirmed` for a
  send (it may have been posted) and retried only for the replayable calls (aiohttp
  itself repeats a PUT, never a POST, once when a kept-alive connection was dropped).
In emulator mode (no app id) no token is sent. Neither tokens nor message bodies
are ever logged; errors carry the HTTP status only.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp

from adapters.pacing import TEAMS_TENANT_WINDOWS, Pacer
from bot.errors import DeliveryError, RateLimited

log = logging.getLogger(__name__)

Json = dict[str, Any]
MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 30.0
"""A longer wait is not held in-process: we raise `RateLimited` for a re-queue."""
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 8.0
REFUSED_BEFORE_RUNNING = frozenset({412, 429})
"""Answers that say the request was not carried out: a repeat cannot post twice."""
Sleep = Callable[[float], Awaitable[None]]
NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
"""Failures to connect: the request never reached the Bot Connector, so a repeat
cannot post twice (a certificate or proxy refusal is a `ClientConnectorError` too)."""


class Forbidden(DeliveryError):
    """403: typically the app is not installed for the user or in the conversation."""


class Unconfirmed(DeliveryError):
    """A send answered 5xx: it may or may not have been posted, so it is not replayed at
    once (the outbox tries again later)."""


class TokenSource(Protocol):
    async def token(self, *, refresh: bool = False) -> str: ...


def conversation_key(conversation_id: str) -> str:
    """Reply chains are paced with their channel (the conservative reading of the limits)."""
    return conversation_id.split(";", 1)[0]


def retry_after_of(response: aiohttp.ClientResponse) -> float | None:
    """`Retry-After` in seconds (given as seconds or as an HTTP date); None if absent."""
    raw = response.headers.get("Retry-After", "").strip()
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def backoff(attempt: int, rng: random.Random) -> float:
    """Exponential back-off with jitter: up to 0.5 s, 1 s, 2 s … (at most 8 s), at least
    half of it, so that requests refused together do not all come back together."""
    ceiling: float = min(BACKOFF_FIRST * 2.0 ** (attempt - 1), BACKOFF_MAX)
    return ceiling * (0.5 + rng.random() / 2)


class BotConnector:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        service_url: str,
        tokens: TokenSource | None,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        pacer: Pacer | None = None,
        tenants: Pacer | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.session = session
        self.base = service_url.rstrip("/")
        self.tokens = tokens
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()
        self.tenants = tenants or Pacer(windows=TEAMS_TENANT_WINDOWS)
        self.sleep = sleep
        self.rng = rng or random.Random()

    def _tenant(self, tenant_id: str | None) -> tuple[Pacer, str]:
        """The tenant's turn; without a tenant id (the emulator) the service URL's."""
        return self.tenants, tenant_id or self.base

    async def create_conversation(self, parameters: Json) -> Json:
        tenants, key = self._tenant(str(parameters.get("tenantId") or "") or None)
        await tenants.turn(key)
        return await self.request("POST", "/v3/conversations", parameters, replayable=True)

    async def send(
        self, conversation_id: str, activity: Json, *, tenant_id: str | None = None
    ) -> str:
        key = conversation_key(conversation_id)
        await self.pacer.turn(key, self._tenant(tenant_id))
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities"
        return str((await self.request("POST", path, activity, paced=key)).get("id", ""))

    async def reply(
        self,
        conversation_id: str,
        activity_id: str,
        activity: Json,
        *,
        tenant_id: str | None = None,
    ) -> str:
        key = conversation_key(conversation_id)
        await self.pacer.turn(key, self._tenant(tenant_id))
        path = (
            f"/v3/conversations/{quote(conversation_id, safe='')}"
            f"/activities/{quote(activity_id, safe='')}"
        )
        return str((await self.request("POST", path, activity, paced=key)).get("id", ""))

    async def update(
        self,
        conversation_id: str,
        activity_id: str,
        activity: Json,
        *,
        tenant_id: str | None = None,
    ) -> None:
        key = conversation_key(conversation_id)
        await self.pacer.turn(key, self._tenant(tenant_id))
        path = (
            f"/v3/conversations/{quote(conversation_id, safe='')}"
            f"/activities/{quote(activity_id, safe='')}"
        )
        body = {**activity, "id": activity_id}
        await self.request("PUT", path, body, replayable=True, paced=key)

    async def request(
        self,
        method: str,
        path: str,
        body: Json,
        *,
        replayable: bool = False,
        paced: str | None = None,
    ) -> Json:
        """One call, retried as the module docstring says; `replayable` when carrying it
        out twice is harmless (else a 5xx is `Unconfirmed`, not replayed). A 429's
        `Retry-After` also holds the `paced` conversation's later turns."""
        refreshed = False
        for attempt in range(1, self.max_attempts + 1):
            headers = await self._headers(refresh=False)
            last = attempt == self.max_attempts
            try:
                async with self.session.request(
                    method, self.base + path, json=body, headers=headers
                ) as response:
                    status = response.status
                    if status < 300:
                        return await _json(response)
                    retry_after = retry_after_of(response)
            except NOT_SENT as exc:  # the request never left: retried whatever the method
                if last:
                    why = type(exc).__name__
                    raise DeliveryError(f"bot connector unreachable ({why})") from exc
                await self._back_off(attempt, type(exc).__name__, method)
                continue
            except (aiohttp.ClientError, TimeoutError) as exc:  # no answer: it may have run
                if not replayable:
                    raise Unconfirmed(
                        f"no answer to {method} ({type(exc).__name__}); not replayed"
                    ) from exc
                if last:
                    raise DeliveryError(f"no answer to {method} ({type(exc).__name__})") from exc
                await self._back_off(attempt, type(exc).__name__, method)
                continue
            if status == 401 and self.tokens is not None and not refreshed:
                refreshed = True
                await self._headers(refresh=True)
                continue
            if status == 403:
                raise Forbidden(f"bot connector refused {method} ({status})")
            if status == 429 and retry_after is not None and paced is not None:
                self.pacer.hold(paced, retry_after)
            if status == 429 and (last or (retry_after or 0.0) > MAX_RETRY_AFTER):
                raise RateLimited(retry_after if retry_after is not None else 1.0)
            if status >= 500 and status not in REFUSED_BEFORE_RUNNING and not replayable:
                raise Unconfirmed(f"bot connector answered {status} to {method}; not replayed")
            if last or not (status in REFUSED_BEFORE_RUNNING or status >= 500):
                raise DeliveryError(f"bot connector answered {status} to {method}")
            if retry_after is not None and retry_after > MAX_RETRY_AFTER:
                raise RateLimited(retry_after)  # e.g. a 503 or 412 that says so
            await self._back_off(attempt, str(status), method, floor=retry_after)
        raise DeliveryError(f"bot connector: {method} failed after {self.max_attempts} attempts")

    async def _back_off(
        self, attempt: int, why: str, method: str, *, floor: float | None = None
    ) -> None:
        """Wait before attempt `attempt + 1`: jittered exponential back-off, or a
        `Retry-After` floor plus half of it as jitter."""
        wait = backoff(attempt, self.rng)
        if floor is not None:
            wait = floor + wait / 2
        log.info("bot connector: %s to %s, retrying in %.1fs", why, method, wait)
        await self.sleep(wait)

    async def _headers(self, *, refresh: bool) -> dict[str, str]:
        if self.tokens is None:
            return {}
        return {"Authorization": f"Bearer {await self.tokens.token(refresh=refresh)}"}


async def _json(response: aiohttp.ClientResponse) -> Json:
    """The answer's JSON object, or {}: the call succeeded either way, and raising
    would make the caller send the same activity again."""
    if response.content_type != "application/json":
        return {}
    try:
        data = await response.json()
    except ValueError:
        log.info("bot connector: a success answer that is not JSON")
        return {}
    return data if isinstance(data, dict) else {}


class ConnectorPool:
    """One `BotConnector` per service URL over one shared HTTP session."""

    def __init__(
        self,
        tokens: TokenSource | None,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        pacer: Pacer | None = None,
        tenants: Pacer | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.tokens = tokens
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()
        self.tenants = tenants or Pacer(windows=TEAMS_TENANT_WINDOWS)
        """One tenant pacer for every service URL: a tenant's limit is the bot's, wherever
        its calls go."""
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._session: aiohttp.ClientSession | None = None
        self._connectors: dict[str, BotConnector] = {}

    def for_service(self, service_url: str) -> BotConnector:
        connector = self._connectors.get(service_url)
        if connector is None:
            if self._session is None:
                timeout = aiohttp.ClientTimeout(total=30)
                self._session = aiohttp.ClientSession(timeout=timeout)
            connector = BotConnector(
                self._session,
                service_url,
                self.tokens,
                max_attempts=self.max_attempts,
                pacer=self.pacer,
                tenants=self.tenants,
                sleep=self.sleep,
                rng=self.rng,
            )
            self._connectors[service_url] = connector
        return connector

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._connectors.clear()

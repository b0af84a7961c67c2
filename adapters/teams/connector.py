"""A Bot Connector REST client: one per service URL, reused across activities.

Why aiohttp directly rather than botbuilder's `ConnectorClient` (msrest):
- botbuilder builds a new `ConnectorClient` (and HTTP pipeline) per activity, which
  caps a bare echo bot at about 80 replies/s here; one `aiohttp.ClientSession`
  shared by every service URL keeps connections alive and costs a dict lookup;
- msrest neither retries 429 nor exposes `Retry-After` cleanly; here a 429 is
  retried after `Retry-After` a bounded number of times, then raised as
  `bot.errors.RateLimited` so the caller can re-queue the work;
- botframework-connector's `MicrosoftAppCredentials` fetches tokens through msal,
  which is synchronous (it would block the event loop), insists on https
  authorities and runs instance discovery against login.microsoftonline.com, so
  it cannot be pointed at a local fake. The client-credentials grant is one
  documented POST (`adapters.teams.tokens`).
In emulator mode (no app id) no token is sent. Neither tokens nor message bodies
are ever logged; errors carry the HTTP status only.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp

from adapters.pacing import Pacer
from bot.errors import DeliveryError, RateLimited

log = logging.getLogger(__name__)

Json = dict[str, Any]
MAX_ATTEMPTS = 3
MAX_RETRY_AFTER = 30.0
"""A longer wait is not held in-process: we raise `RateLimited` for a re-queue."""


class Forbidden(DeliveryError):
    """403: typically the app is not installed for the user or in the conversation."""


class TokenSource(Protocol):
    async def token(self, *, refresh: bool = False) -> str: ...


def conversation_key(conversation_id: str) -> str:
    """Reply chains are paced with their channel (the conservative reading of the limits)."""
    return conversation_id.split(";", 1)[0]


def retry_after_of(response: aiohttp.ClientResponse) -> float:
    raw = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(raw))
    except ValueError:
        return 1.0


class BotConnector:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        service_url: str,
        tokens: TokenSource | None,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        pacer: Pacer | None = None,
    ) -> None:
        self.session = session
        self.base = service_url.rstrip("/")
        self.tokens = tokens
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()

    async def create_conversation(self, parameters: Json) -> Json:
        return await self.request("POST", "/v3/conversations", parameters)

    async def send(self, conversation_id: str, activity: Json) -> str:
        await self.pacer.turn(conversation_key(conversation_id))
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities"
        return str((await self.request("POST", path, activity)).get("id", ""))

    async def reply(self, conversation_id: str, activity_id: str, activity: Json) -> str:
        await self.pacer.turn(conversation_key(conversation_id))
        path = (
            f"/v3/conversations/{quote(conversation_id, safe='')}"
            f"/activities/{quote(activity_id, safe='')}"
        )
        return str((await self.request("POST", path, activity)).get("id", ""))

    async def update(self, conversation_id: str, activity_id: str, activity: Json) -> None:
        await self.pacer.turn(conversation_key(conversation_id))
        path = (
            f"/v3/conversations/{quote(conversation_id, safe='')}"
            f"/activities/{quote(activity_id, safe='')}"
        )
        await self.request("PUT", path, {**activity, "id": activity_id})

    async def request(self, method: str, path: str, body: Json) -> Json:
        refreshed = False
        for attempt in range(1, self.max_attempts + 1):
            headers = await self._headers(refresh=False)
            async with self.session.request(
                method, self.base + path, json=body, headers=headers
            ) as response:
                status = response.status
                if status < 300:
                    return await _json(response)
                if status == 429:
                    wait = retry_after_of(response)
                    if attempt == self.max_attempts or wait > MAX_RETRY_AFTER:
                        raise RateLimited(wait)
                    log.info("bot connector: 429, retrying after %.1fs", wait)
                    await asyncio.sleep(wait)
                    continue
                if status == 401 and self.tokens is not None and not refreshed:
                    refreshed = True
                    await self._headers(refresh=True)
                    continue
                if status == 403:
                    raise Forbidden(f"bot connector refused {method} ({status})")
                if status >= 500 and attempt < self.max_attempts:
                    await asyncio.sleep(0.2 * attempt)
                    continue
                raise DeliveryError(f"bot connector answered {status} to {method}")
        raise DeliveryError(f"bot connector: {method} failed after {self.max_attempts} attempts")

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
    ) -> None:
        self.tokens = tokens
        self.max_attempts = max_attempts
        self.pacer = pacer or Pacer()
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
            )
            self._connectors[service_url] = connector
        return connector

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._connectors.clear()

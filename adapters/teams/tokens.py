"""Outbound tokens for the Bot Connector: the OAuth 2 client-credentials grant.

One POST to `{login_url}/{tenant}/oauth2/v2.0/token` (tenant `botframework.com`
for multi-tenant bots), cached until shortly before it expires. See
`adapters.teams.connector` for why this is not msal. The token is never logged.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp

from bot.errors import DeliveryError

SCOPE = "https://api.botframework.com/.default"
EARLY = 300.0
"""Refresh this many seconds before the token expires."""


class ClientCredentialsTokens:
    def __init__(
        self,
        *,
        login_url: str,
        tenant: str,
        app_id: str,
        password: str,
        scope: str = SCOPE,
    ) -> None:
        self.url = f"{login_url.rstrip('/')}/{tenant}/oauth2/v2.0/token"
        self._form = {
            "grant_type": "client_credentials",
            "client_id": app_id,
            "client_secret": password,
            "scope": scope,
        }
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"ClientCredentialsTokens(url={self.url!r})"

    async def token(self, *, refresh: bool = False) -> str:
        async with self._lock:
            if refresh or self._token is None or time.monotonic() >= self._expires:
                await self._fetch()
            assert self._token is not None
            return self._token

    async def _fetch(self) -> None:
        timeout = aiohttp.ClientTimeout(total=30)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(self.url, data=self._form) as response,
        ):
            if response.status != 200:
                raise DeliveryError(f"token endpoint answered {response.status}")
            data = await response.json(content_type=None)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise DeliveryError("token endpoint answered without an access_token")
        lifetime = float(data.get("expires_in", 3600))
        self._token = token
        self._expires = time.monotonic() + max(0.0, lifetime - EARLY)

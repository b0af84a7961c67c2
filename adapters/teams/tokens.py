"""Outbound tokens for the Bot Connector: the OAuth 2 client-credentials grant.

One POST to `{login_url}/{tenant}/oauth2/v2.0/token` (tenant `botframework.com`
for multi-tenant bots), cached until shortly before it expires; or, for a user-assigned
managed identity, the host's identity endpoint (`ManagedIdentityTokens`). See
`adapters.teams.connector` for why this is not msal. The token is never logged.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

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


BOT_FRAMEWORK_RESOURCE = "https://api.botframework.com"


class ManagedIdentityTokens:
    """Outbound tokens for a bot whose identity is a user-assigned managed identity
    (`MICROSOFT_APP_TYPE=UserAssignedMSI`, `MICROSOFT_APP_ID` = its client id): no secret,
    the token comes from the host's identity endpoint (App Service, Container Apps, a VM's
    IMDS, Arc), found by msal's `ManagedIdentityClient`, which also caches it until shortly
    before it expires. msal is synchronous, so it runs in a worker thread."""

    def __init__(self, *, client_id: str, http_client: Any = None) -> None:
        self.client_id = client_id
        self._http = http_client
        self._client: Any = None
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"ManagedIdentityTokens(client_id={self.client_id!r})"

    def _msal(self, *, fresh: bool) -> Any:
        if self._client is None or fresh:  # a fresh client has an empty token cache
            import msal  # type: ignore[import-untyped]
            import requests

            self._client = msal.ManagedIdentityClient(
                msal.UserAssignedManagedIdentity(client_id=self.client_id),
                http_client=self._http or requests.Session(),
                token_cache=msal.TokenCache(),
            )
        return self._client

    async def token(self, *, refresh: bool = False) -> str:
        async with self._lock:
            client = self._msal(fresh=refresh)
            try:
                result = await asyncio.to_thread(
                    client.acquire_token_for_client, resource=BOT_FRAMEWORK_RESOURCE
                )
            except Exception as exc:  # requests' and msal's own errors: no token, say why
                raise DeliveryError(
                    f"managed identity endpoint failed ({type(exc).__name__})"
                ) from None
        token = result.get("access_token") if isinstance(result, dict) else None
        if not isinstance(token, str) or not token:
            problem = result.get("error") if isinstance(result, dict) else None
            raise DeliveryError(f"managed identity gave no token ({problem or 'no reason'})")
        return token

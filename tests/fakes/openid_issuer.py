"""A local OpenID issuer: a freshly generated RSA key served as JWKS behind an OpenID
metadata document, and tokens signed with it shaped like the Bot Framework's."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.fakes.local_server import serve_locally

ISSUER = "https://api.botframework.test"
KEY_ID = "local-key-1"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdIssuer:
    def __init__(self) -> None:
        self.key = new_key()
        self.url = ""
        self.metadata_requests = 0
        self._runner: web.AppRunner | None = None

    @property
    def metadata_url(self) -> str:
        return self.url + ".well-known/openidconfiguration"

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]})
        return {"keys": [jwk]}

    def token(self, *, key: rsa.RSAPrivateKey | None = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "nbf": now - 10, "iat": now - 10, "exp": now + 3600, **claims}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/.well-known/openidconfiguration", self.metadata)
        app.router.add_get("/keys", self.keys)
        self._runner, self.url = await serve_locally(app)
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def metadata(self, request: web.Request) -> web.Response:
        self.metadata_requests += 1
        return web.json_response(
            {
                "issuer": ISSUER,
                "jwks_uri": self.url + "keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def keys(self, request: web.Request) -> web.Response:
        return web.json_response(self.jwks())

"""A local fake of Slack's Socket Mode server (a WebSocket on 127.0.0.1) for tests.

`FakeSlack` answers `apps.connections.open` (with the app-level token) with this
server's `ws://` URL. On each connection the fake says `hello`, as Slack does; a test
then pushes envelopes — `slash_commands`, `events_api`, `interactive` — each with an
`envelope_id` and the payload Slack would have POSTed over HTTP, and reads back every
acknowledgement the app sent (`{"envelope_id": …, "payload": …}`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.local_server import serve_locally
from tests.polling import TIMEOUT, eventually

APP_TOKEN = "xapp-1-A0REVANS-1-fakeapptoken"
APP_ID = "A0REVANS"
KINDS = ("slash_commands", "events_api", "interactive")


@dataclass
class Envelope:
    envelope_id: str
    kind: str
    payload: dict[str, Any]
    retry_attempt: int = 0

    def frame(self) -> dict[str, Any]:
        return {
            "envelope_id": self.envelope_id,
            "type": self.kind,
            "payload": self.payload,
            "accepts_response_payload": self.kind != "events_api",
            "retry_attempt": self.retry_attempt,
            "retry_reason": "timeout" if self.retry_attempt else "",
        }


@dataclass
class FakeSocketMode:
    pushed: list[Envelope] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    """Every message the app sent back, parsed, in order."""
    connections: int = 0
    """Connections opened so far (the app reconnects when asked to, see `refresh`)."""
    url: str = ""
    """The `ws://127.0.0.1:PORT/link/` URL apps.connections.open hands out."""
    _socket: web.WebSocketResponse | None = None
    _arrived: asyncio.Condition | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    # --- what a test does -------------------------------------------------------------

    async def connected(self) -> None:
        """Wait until the app has connected (and been greeted)."""
        await eventually(lambda: self._socket is not None, what="the app to open its socket")

    async def push(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
    ) -> Envelope:
        """Send one envelope to the connected app, as Slack delivers a request."""
        assert kind in KINDS, kind
        await self.connected()
        assert self._socket is not None
        envelope = Envelope(
            envelope_id or f"env-{next(self._ids):06d}", kind, payload, retry_attempt
        )
        self.pushed.append(envelope)
        await self._socket.send_str(json.dumps(envelope.frame()))
        return envelope

    async def refresh(self) -> None:
        """Ask the app to reconnect, as Slack does every few hours."""
        assert self._socket is not None
        await self._socket.send_str(
            json.dumps({"type": "disconnect", "reason": "refresh_requested"})
        )

    def acks_of(self, envelope_id: str) -> list[dict[str, Any]]:
        return [a for a in self.acks if a.get("envelope_id") == envelope_id]

    async def acked(
        self, envelope: Envelope, *, times: int = 1, timeout: float = TIMEOUT
    ) -> dict[str, Any]:
        """The app's acknowledgement of `envelope`, once it has arrived `times` times
        (woken by each acknowledgement, so the wait is as long as the app took)."""
        arrived = self._arrival()
        try:
            async with arrived:
                await asyncio.wait_for(
                    arrived.wait_for(lambda: len(self.acks_of(envelope.envelope_id)) >= times),
                    timeout,
                )
        except TimeoutError:
            raise AssertionError(
                f"no acknowledgement of {envelope.envelope_id} within {timeout}s; "
                f"acks so far: {self.acks}"
            ) from None
        return self.acks_of(envelope.envelope_id)[-1]

    def _arrival(self) -> asyncio.Condition:
        if self._arrived is None:
            self._arrived = asyncio.Condition()
        return self._arrived

    def wait_for(self, predicate: Callable[[], Any], *, what: str) -> Any:
        return eventually(predicate, what=what, explain=lambda: f"acks so far: {self.acks}")

    # --- the server -------------------------------------------------------------------

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/link/", self._link)
        return app

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()  # answers the client's pings itself
        await socket.prepare(request)
        hello = {
            "type": "hello",
            "num_connections": 1,
            "connection_info": {"app_id": APP_ID},
            "debug_info": {"host": "fake-socket-mode", "approximate_connection_time": 3600},
        }
        await socket.send_str(json.dumps(hello))
        self._socket = socket
        self.connections += 1  # after: once counted, pushes go to this connection
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                arrived = self._arrival()
                async with arrived:
                    self.acks.append(json.loads(message.data))
                    arrived.notify_all()
        if self._socket is socket:
            self._socket = None
        return socket


class RunningSocketMode:
    """The fake served on a free 127.0.0.1 port for one test."""

    def __init__(self, fake: FakeSocketMode) -> None:
        self.fake = fake
        self.runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeSocketMode:
        self.runner, url = await serve_locally(self.fake.web_app())
        self.fake.url = url.replace("http://", "ws://") + "link/"
        return self.fake

    async def __aexit__(self, *exc: object) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

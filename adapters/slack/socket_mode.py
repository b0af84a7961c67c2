"""Socket Mode: Slack's deliveries over a WebSocket Revans opens (`revans serve --socket-mode`).

For a facilitator on a laptop or behind a firewall: no public URL, no signed requests.
slack_sdk's aiohttp client asks `apps.connections.open` (on SLACK_API_URL, with the
app-level token) for a wss URL, connects, and reconnects when Slack asks it to. Each
envelope's payload is the body Slack would have POSTed to `/slack/events`, and goes
through the same bolt app (`adapters.slack.app`): the same inbox middleware (a
redelivered envelope, same event id or trigger, is acknowledged and not handled
again), the same listeners and the same replay of deliveries whose handler died. The
envelope is acknowledged (`{"envelope_id": …}`) once bolt has answered, that is after
the inbox row is written, as the HTTP path answers 200 only then.

There is no signature to check (the socket itself is authenticated by the app token);
the shape checks of `adapters.slack.admission` still run before bolt sees a payload.
"""

from __future__ import annotations

import asyncio
import logging
import time

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import build_headers
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from adapters.slack.admission import shape_problem
from bot.errors import ConfigError

log = logging.getLogger(__name__)

SDK_LOGGER = logging.getLogger("slack_sdk.socket_mode")
"""The client's own logger: held at WARNING (`adapters.logs`), since at DEBUG it prints
every frame it receives, payloads included."""
PING_SECONDS = 10.0


class _NoTracebacks(logging.Filter):
    """The client logs each failed reconnection (every PING_SECONDS while Slack is
    unreachable) with a full traceback; the one-line message says enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


NO_TRACEBACKS = _NoTracebacks()


class SlackSocket(AsyncSocketModeHandler):
    """bolt's aiohttp Socket Mode handler, with our admission checks and lifecycle."""

    def __init__(self, app: AsyncApp, app_token: str) -> None:
        super().__init__(app, app_token, logger=SDK_LOGGER, ping_interval=PING_SECONDS)
        SDK_LOGGER.addFilter(NO_TRACEBACKS)
        self.connecting: asyncio.Task[None] | None = None

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        """One envelope: refused shapes are acknowledged (a redelivery would be refused
        again) and logged by reason; anything else is dispatched, then acknowledged if
        bolt answered 200. A 500 (our failure) is not acknowledged, so Slack redelivers."""
        started = time.time()
        try:
            request = AsyncBoltRequest(
                mode="socket_mode", body=req.payload, headers=build_headers(req)
            )
            problem = shape_problem(request.body)
        except Exception as exc:  # a payload bolt cannot read
            problem = f"unreadable ({type(exc).__name__})"
        if problem:
            log.warning("slack: a socket envelope of a shape Slack never sends (%s)", problem)
            await client.send_socket_mode_response({"envelope_id": req.envelope_id})
            return
        response = await self.app.async_dispatch(request)
        await send_async_response(client, req, response, started)

    async def open(self) -> None:
        """Check the app token now (Slack refusing it is a configuration error, named at
        start-up), then connect in the background: the client retries until Slack is
        reachable and reconnects on its own afterwards."""
        try:
            self.client.wss_uri = await self.client.issue_new_wss_url()
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            raise ConfigError(
                "SLACK_APP_TOKEN", f"was refused by Slack's apps.connections.open ({error})"
            ) from None
        except Exception as exc:  # Slack unreachable: the client keeps trying
            log.warning("slack: cannot open the socket yet (%s); retrying", type(exc).__name__)
        self.connecting = asyncio.create_task(self._connect(), name="slack-socket")
        log.info("slack: Socket Mode; connecting to Slack")

    async def _connect(self) -> None:
        await self.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack: connected over Socket Mode")

    async def shut(self) -> None:
        """Stop taking envelopes (Slack gives unacknowledged ones to another connection)."""
        if self.connecting is not None:
            self.connecting.cancel()
        await self.close_async()  # type: ignore[no-untyped-call]

"""Building the Slack side of `revans serve`: the bolt AsyncApp and its aiohttp route.

Single-workspace mode (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET), deliveries POSTed to
`/slack/events`; or, with `revans serve --socket-mode` (SLACK_BOT_TOKEN +
SLACK_APP_TOKEN), over a WebSocket the server opens (`adapters.slack.socket_mode`),
through the same bolt app, inbox and listeners. The Web API client
talks to SLACK_API_URL only (GovSlack, or a local fake in tests), with one shared
HTTP session and a retry handler for rate limits besides the default one for
connection errors. Bolt's single-team authorizer calls `auth.test` once, on the
first delivery, and caches it.

Multi-workspace mode (SLACK_CLIENT_ID + SLACK_CLIENT_SECRET + SLACK_SIGNING_SECRET):
`/slack/install` starts bolt's OAuth flow and `/slack/oauth_redirect` finishes it,
keeping each workspace's bot token in our database (`adapters.slack.installations`).
Bolt's installation-store authorizer finds the token of each delivery's workspace and
caches `auth.test` per token; the gateway sends with that workspace's token.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp import web
from prometheus_client import CollectorRegistry
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.background import BackgroundTasks
from adapters.config import Settings, slack_multi_workspace
from adapters.outbox_sender import OutboxSender
from adapters.slack.admission import decoded, shape_problem, signature_problem
from adapters.slack.gateway import SlackGateway
from adapters.slack.handlers import SlackHandlers
from adapters.slack.installations import SqlInstallationStore, SqlOAuthStateStore
from adapters.slack.metrics import SlackMetrics
from adapters.slack.profiles import ProfileZones
from adapters.slack.socket_mode import SlackSocket
from adapters.store.engine import is_sqlite
from adapters.store.inbox import Inbox
from bot.dispatch import Core
from bot.errors import ConfigError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
EVENT_LISTENERS: dict[str, str] = {
    "message": "on_message",
    "app_mention": "on_message",
    "app_uninstalled": "on_lifecycle",
    "tokens_revoked": "on_lifecycle",
    "app_home_opened": "on_home_opened",
}
"""The Bolt events Revans listens to, and the handler method of each (the app manifest,
`adapters.slack.manifest`, subscribes to exactly these)."""
INBOX_RETENTION = timedelta(days=1)
"""Slack retries for minutes; a day of finished inbox rows is plenty to recognise them."""
API_TIMEOUT_SECONDS = 10
ANY_CALLBACK = re.compile(r".+")
"""Every submitted modal goes to the core, which answers an unknown form itself."""


class _TokenFromEnvironmentNotice(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN from the environment and then warns that the
    client's token (the same setting) wins; that warning would only confuse operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


TOKEN_NOTICE = _TokenFromEnvironmentNotice()


def slack_enabled(settings: Settings) -> bool:
    if slack_multi_workspace(settings):
        return bool(settings.slack_client_secret and settings.slack_signing_secret)
    secret = settings.slack_signing_secret or settings.slack_socket_mode
    return bool(settings.slack_bot_token and secret)


@dataclass
class SlackEndpoint:
    bolt: AsyncApp
    handlers: SlackHandlers
    session: aiohttp.ClientSession
    signing_secret: str
    socket: SlackSocket | None = None
    """Socket Mode: deliveries come over this WebSocket; there is no events route."""
    forgetting: asyncio.Task[None] | None = None
    """The periodic purge of old inbox rows, while the server runs."""
    replaying: asyncio.Task[None] | None = None
    renewing: asyncio.Task[None] | None = None
    """The replay of deliveries whose handler died (at start-up, then every minute)."""
    oauth: AsyncOAuthFlow | None = None
    """Multi-workspace mode: bolt's install flow, at INSTALL_PATH and REDIRECT_PATH."""

    async def handle(self, request: web.Request) -> web.Response:
        """Check what bolt would choke on first (`adapters.slack.admission`), then dispatch.

        Every refusal is one log line naming the reason, never the body.
        """
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("slack: a request body too large to read was refused")
            raise
        problem = signature_problem(raw, request.headers, self.signing_secret, now=time.time())
        if problem:
            log.info("slack: request refused (%s)", problem)
            return web.Response(status=401)
        text = decoded(raw)
        if text is None:
            log.warning("slack: a signed request whose body is not UTF-8 was refused")
            return web.Response(status=400)
        try:
            bolt_request = AsyncBoltRequest(
                body=text, query=request.query_string, headers=dict(request.headers)
            )
        except Exception as exc:  # a `payload=` or JSON body that does not parse
            log.warning("slack: a signed request bolt cannot read (%s)", type(exc).__name__)
            return web.Response(status=400)
        shape = shape_problem(bolt_request.body)
        if shape:
            log.warning("slack: a signed request of a shape Slack never sends (%s)", shape)
            return web.Response(status=400)
        bolt_response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def install(self, request: web.Request) -> web.Response:
        """Starts an install: a one-time state (cookie and store), then on to Slack."""
        assert self.oauth is not None
        response = await self.oauth.handle_installation(_get_request(request))
        return await to_aiohttp_response(response)

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        """Slack sends the installer back here with `code` and `state`; bolt checks the
        state, trades the code for the workspace's bot token and stores it."""
        assert self.oauth is not None
        response = await self.oauth.handle_callback(_get_request(request))
        if response.status >= 400:
            log.warning("slack: an install was refused (%d)", response.status)
        return await to_aiohttp_response(response)

    async def close(self) -> None:
        await self.handlers.tasks.close()
        if self.handlers.profiles:
            await self.handlers.profiles.close()
        await self.session.close()

    async def forget_old_deliveries(self) -> None:
        handlers = self.handlers
        forgotten = await handlers.inbox.purge(handlers.core.clock.now() - INBOX_RETENTION)
        log.info("slack: forgot %d inbox row(s) older than a day", forgotten)

    def mount(self, app: web.Application) -> None:
        if self.socket is None:
            app.router.add_post(EVENTS_PATH, self.handle)
        if self.oauth is not None:
            app.router.add_get(INSTALL_PATH, self.install)
            app.router.add_get(REDIRECT_PATH, self.oauth_redirect)

        async def on_startup(_: web.Application) -> None:
            if self.socket is not None:
                try:
                    await self.socket.open()
                except ConfigError:  # the app token refused: stop start-up, tidily
                    await self.socket.shut()
                    await self.close()
                    raise
            await self.forget_old_deliveries()
            inbox, clock = self.handlers.inbox, self.handlers.core.clock
            forgetting = asyncio.create_task(inbox.keep_forgetting(INBOX_RETENTION, clock.now))
            self.forgetting = forgetting
            self.replaying = asyncio.create_task(self.handlers.keep_replaying())
            self.renewing = asyncio.create_task(self.handlers.keep_renewing())

        app.on_startup.append(on_startup)

        async def on_shutdown(_: web.Application) -> None:
            if self.socket is not None:
                await self.socket.shut()  # first: no new deliveries while work finishes
            if self.forgetting is not None:
                self.forgetting.cancel()
            if self.replaying is not None:
                self.replaying.cancel()
            if self.renewing is not None:
                self.renewing.cancel()
            await self.close()

        app.on_shutdown.append(on_shutdown)


def _get_request(request: web.Request) -> AsyncBoltRequest:
    return AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))


def build_client(settings: Settings, session: aiohttp.ClientSession) -> AsyncWebClient:
    """The Web API client: with SLACK_BOT_TOKEN in single-workspace mode, with no token
    in multi-workspace mode (the gateway copies it per workspace token)."""
    return AsyncWebClient(
        token=None if slack_multi_workspace(settings) else settings.slack_bot_token,
        base_url=settings.slack_api_url,
        session=session,
        timeout=API_TIMEOUT_SECONDS,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )


def build_slack_endpoint(
    settings: Settings,
    core: Core,
    engine: AsyncEngine,
    registry: CollectorRegistry,
    sender: OutboxSender,
) -> SlackEndpoint:
    """Must run inside the server's event loop (it opens the shared HTTP session)."""
    secret, app_token = settings.slack_signing_secret, settings.slack_app_token
    socket_mode = settings.slack_socket_mode
    multi = slack_multi_workspace(settings)
    if multi and not (settings.slack_client_secret and secret):
        raise ConfigError("SLACK_CLIENT_SECRET", "and SLACK_SIGNING_SECRET are needed")
    if not (settings.slack_bot_token or multi):
        raise ConfigError("SLACK_BOT_TOKEN", "is needed to serve Slack")
    if socket_mode and not app_token:  # `config.socket_mode`, as the type checker sees it
        raise ConfigError("SLACK_APP_TOKEN", "is needed for --socket-mode")
    if not (secret or socket_mode):
        raise ConfigError("SLACK_SIGNING_SECRET", "is needed to serve Slack over HTTP")
    session = aiohttp.ClientSession()
    client = build_client(settings, session)
    metrics = SlackMetrics(registry)
    installations = SqlInstallationStore(engine) if multi else None
    tokens = installations.bot_token if installations else None
    gateway = SlackGateway(client, on_error=metrics.api_error, tokens=tokens)
    handlers = SlackHandlers(
        core=core,
        gateway=gateway,
        inbox=Inbox(engine, lease=timedelta(seconds=settings.lease_seconds)),
        sender=sender,
        # SQLite has one writer: parallel background transactions only add contention.
        tasks=BackgroundTasks("slack", limit=1 if is_sqlite(settings.database_url) else 4),
        metrics=metrics,
        command_prefix=f"{settings.slack_command} ",
        profiles=ProfileZones(gateway.user_info),
        installations=installations,
    )
    bolt_logger = logging.getLogger("slack_bolt.AsyncApp")
    bolt_logger.addFilter(TOKEN_NOTICE)
    oauth: dict[str, Any] = {}
    if installations is not None:
        oauth = _oauth(settings, client, installations, SqlOAuthStateStore(engine), bolt_logger)
    bolt = AsyncApp(
        signing_secret=secret or "",
        client=client,  # single workspace: carries the token; bolt's authorizer reads it
        **oauth,
        process_before_response=True,  # our listeners ack at once and hand off to tracked tasks
        logger=bolt_logger,
        raise_error_for_unhandled_request=True,  # to `on_error`: a 200, not bolt's 404
        request_verification_enabled=not socket_mode,  # no signed requests over a socket
    )
    bolt.error(handlers.on_error)
    bolt.use(handlers.inbox_middleware)
    bolt.command(settings.slack_command)(handlers.on_command)
    bolt.view_submission(ANY_CALLBACK)(handlers.on_view_submission)
    bolt.action(ANY_CALLBACK)(handlers.on_block_action)
    for event, listener in EVENT_LISTENERS.items():
        bolt.event(event)(getattr(handlers, listener))
    if socket_mode and app_token:
        log.info("slack: single-workspace mode; events over Socket Mode")
        return SlackEndpoint(bolt, handlers, session, "", SlackSocket(bolt, app_token))
    if multi:
        log.info(
            "slack: multi-workspace mode; installs at %s, events at %s", INSTALL_PATH, EVENTS_PATH
        )
        return SlackEndpoint(bolt, handlers, session, secret or "", oauth=bolt.oauth_flow)
    log.info("slack: single-workspace mode; events at %s", EVENTS_PATH)
    return SlackEndpoint(bolt, handlers, session, secret or "")


def authorize_url(api_url: str) -> str:
    """Slack's consent page beside its Web API: https://slack.com/api/ gives
    https://slack.com/oauth/v2/authorize (and GovSlack's its own)."""
    base = api_url.removesuffix("api/") if api_url.endswith("/api/") else api_url
    return f"{base}oauth/v2/authorize"


def _oauth(
    settings: Settings,
    client: AsyncWebClient,
    installations: SqlInstallationStore,
    states: SqlOAuthStateStore,
    logger: logging.Logger,
) -> dict[str, Any]:
    """Bolt's arguments for multi-workspace mode: the install flow on our stores, and an
    authorizer that finds each workspace's bot and caches its `auth.test` by token."""
    from adapters.slack.manifest import SCOPES  # the manifest reads this module's events

    client_id, client_secret = settings.slack_client_id, settings.slack_client_secret
    oauth_settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=sorted(SCOPES),
        user_scopes=[],
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,  # straight on to Slack's consent page
        authorization_url=authorize_url(settings.slack_api_url),
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=logger,
        installation_store=installations,
        client_id=client_id,
        client_secret=client_secret,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return {
        "oauth_settings": oauth_settings,
        "authorize": authorize,
        "installation_store": installations,
        "installation_store_bot_only": True,
    }

"""`POST /api/messages`: authenticate the activity, run the turn, answer fast.

Authentication is botframework-connector's, configured from our settings through
`ConfigurationBotFrameworkAuthentication` (the same names botbuilder's samples put
in `config.py`). It runs before the turn, here, so that every failure – no token,
a malformed one, a wrong issuer or audience, an expired one, an unknown signing
key – is a 401 (botbuilder lets some of these escape as 500s). With no app id the
endpoint runs in emulator mode: no authentication at all, logged at start-up.

Redelivery: an authenticated message activity is written to the inbox
(`adapters.store.inbox` in group commits, `adapters.store.grouped_inbox`; source `teams`, keyed by
conversation and activity id) before the turn runs; a redelivered one meets its row
and is answered 200 without being handled again, unless its first delivery never
finished and its lease ran out. The turn (the core's transaction) completes and the
row is marked done before the answer; replies go after it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

from adapters.background import BackgroundTasks
from adapters.config import Settings
from adapters.outbox_sender import OutboxSender
from adapters.store.grouped_inbox import GroupedInbox
from adapters.store.inbox import Inbox
from adapters.store.uow import SqlUnitOfWorkFactory
from adapters.teams.admission import activity_from
from adapters.teams.bot import DEFERRED, RAW_ACTIVITY, RECEIPT, SETTLED, Reply, RevansTeamsBot
from adapters.teams.connector import ConnectorPool, TokenSource
from adapters.teams.files import PendingFiles
from adapters.teams.gateway import TeamsGateway
from adapters.teams.references import TeamsReferences
from adapters.teams.tokens import ClientCredentialsTokens, ManagedIdentityTokens
from adapters.teams.translate import inbox_key
from bot.dispatch import Core
from bot.outbox import Receipt
from bot.ports import UnitOfWorkFactory

SOURCE = "teams"
log = logging.getLogger(__name__)

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com"
INBOX_RETENTION = timedelta(days=1)
"""Redeliveries come within minutes; older inbox rows are forgotten at start-up."""


@dataclass
class BotFrameworkConfig:
    """The attribute names botbuilder's configuration classes read."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None


def auth_config(settings: Settings) -> Any:
    config: Any = BotFrameworkConfig(
        settings.microsoft_app_id,
        settings.microsoft_app_password,
        settings.microsoft_app_type if settings.microsoft_app_id else "MultiTenant",
        settings.microsoft_app_tenant_id,
    )
    if settings.microsoft_openid_metadata_url:
        # Any of these switches botbuilder to its "parameterized" authentication, which
        # then needs them all: inbound keys and issuer, outbound login URL and scope.
        config.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.microsoft_openid_metadata_url
        config.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = settings.microsoft_openid_metadata_url
        config.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = settings.microsoft_token_issuer
        config.TO_CHANNEL_FROM_BOT_LOGIN_URL = settings.microsoft_login_url
        config.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = BOT_FRAMEWORK_SCOPE
        config.VALIDATE_AUTHORITY = False
    return config


def outbound_tokens(settings: Settings) -> TokenSource | None:
    """How outbound calls get their token: none in emulator mode, the managed identity's
    endpoint for UserAssignedMSI, otherwise the client-credentials grant with the app's
    password (SingleTenant: at its tenant; MultiTenant: at botframework.com)."""
    if not settings.microsoft_app_id:
        return None
    if settings.microsoft_app_type == "UserAssignedMSI":
        return ManagedIdentityTokens(client_id=settings.microsoft_app_id)
    if not settings.microsoft_app_password:
        return None
    single = settings.microsoft_app_type == "SingleTenant"
    return ClientCredentialsTokens(
        login_url=settings.microsoft_login_url,
        tenant=(settings.microsoft_app_tenant_id or "") if single else "botframework.com",
        app_id=settings.microsoft_app_id,
        password=settings.microsoft_app_password,
    )


async def read_activity(request: web.Request) -> tuple[Activity | None, dict[str, Any]]:
    """The activity and its raw JSON; None for anything that is not an activity of the
    shapes Teams sends (`adapters.teams.admission`), logged in one line without the body."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        log.warning("teams: a request body too large to read was refused")
        raise
    body, problem = activity_from(raw)
    if body is None:
        log.info("teams: not an activity (%s)", problem)
        return None, {}
    try:
        return Activity().deserialize(body), body
    except Exception as exc:  # msrest raises its own DeserializationError
        log.info("teams: unreadable activity (%s)", type(exc).__name__)
        return None, {}


class ReusedConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    """One botbuilder `ConnectorClient` per (service URL, audience), reused.

    `CloudAdapter.process_activity` builds a `ConnectorClient` for every inbound
    activity, and building one costs about 13 ms of CPU here (msrest computes its
    retry status list by scanning 999 codes against a 500-item list): that alone caps
    a bot at ~80 activities/s. We never send through it (replies go through
    `adapters.teams.connector`), but the turn context requires one, so we reuse it.
    """

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str], ConnectorClient] = {}
        self.inner: ConnectorFactory | None = None

    async def create(self, service_url: str, audience: str) -> ConnectorClient:
        key = (service_url, audience or "")
        client = self._clients.get(key)
        if client is None:
            assert self.inner is not None
            client = await self.inner.create(service_url, audience)
            self._clients[key] = client
        return client

    def around(self, result: AuthenticateRequestResult) -> AuthenticateRequestResult:
        if result.connector_factory is not None:
            self.inner = result.connector_factory
            result.connector_factory = self
        return result


class ReusingAuthentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's configured authentication, minus two per-activity constructions.

    Besides the `ConnectorClient` (above), `process_activity` builds a user token
    client (an msrest client, same 13 ms) for every activity; ours is the same bot
    every time, so one per app id is kept.
    """

    def __init__(self, configuration: Any) -> None:
        super().__init__(configuration)
        self.connectors = ReusedConnectorFactory()
        self._token_clients: dict[str, UserTokenClient] = {}

    async def authenticate_request(
        self, activity: Activity, auth_header: str | None
    ) -> AuthenticateRequestResult:
        return self.connectors.around(await super().authenticate_request(activity, auth_header))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        claims = claims_identity.claims or {}
        key = str(claims.get("aud") or claims.get("appid") or claims.get("azp") or "")
        client = self._token_clients.get(key)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            self._token_clients[key] = client
        return client


class TeamsEndpoint:
    def __init__(
        self,
        settings: Settings,
        core: Core,
        uow: UnitOfWorkFactory,
        references: TeamsReferences,
        inbox: Inbox,
        sender: OutboxSender,
        files: PendingFiles | None = None,
    ) -> None:
        self.core = core
        self.inbox = inbox
        self.deliveries = GroupedInbox(inbox, SOURCE, core.clock.now)
        self.emulator = not settings.microsoft_app_id
        self.auth = ReusingAuthentication(auth_config(settings))
        self.adapter = CloudAdapter(self.auth)
        self.adapter.on_turn_error = self.on_turn_error
        self.tasks = BackgroundTasks("teams")
        self.pool = ConnectorPool(outbound_tokens(settings))
        self.files = files
        self.gateway = TeamsGateway(self.pool, references, uow, files)
        self.bot = RevansTeamsBot(
            core, self.gateway, references, self.tasks, core.verbs.names, sender
        )

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return web.Response(status=415, text="expected application/json")
        activity, body = await read_activity(request)
        if activity is None:
            return web.Response(status=400, text="not an activity")
        result = await self.authenticate(activity, request.headers.get("Authorization"))
        if result is None:
            return web.Response(status=401, text="unauthorized")
        key = inbox_key(body)
        if key is not None and not await self.deliveries.claim([key]):
            log.info("teams: redelivered activity acknowledged, not handled again")
            return web.Response(status=200)
        invoke, deferred = await self.run_turn(result, activity, body, key)
        if invoke is not None:
            response = web.json_response(invoke.body, status=invoke.status)
        else:
            response = web.Response(status=200)
        if deferred:  # answer first, then send: the Bot Connector is not kept waiting
            try:
                await response.prepare(request)
                await response.write_eof()
            finally:  # even if it hung up: the turn is committed and will not run again
                for reply in deferred:
                    self.bot.spawn_delivery(reply)
        return response

    async def run_turn(
        self,
        result: AuthenticateRequestResult,
        activity: Activity,
        body: dict[str, Any],
        key: str | None,
    ) -> tuple[InvokeResponse | None, list[Reply]]:
        """Run one authenticated, claimed activity's turn; its replies are returned for
        sending after the answer (the turn's transaction has committed by then, with the
        delivery marked handled and the replies queued in the outbox)."""
        deferred: list[Reply] = []
        settled: list[bool] = []

        async def turn(turn_context: TurnContext) -> None:
            turn_context.turn_state[RAW_ACTIVITY] = body
            turn_context.turn_state[DEFERRED] = deferred
            turn_context.turn_state[SETTLED] = settled
            if key is not None:
                turn_context.turn_state[RECEIPT] = Receipt(SOURCE, (key,))
            await self.bot.on_turn(turn_context)

        try:
            invoke = await self.adapter.process_activity(result, activity, turn)
        finally:  # done before the answer: an answered activity is never handled twice
            if not settled:  # the core's transaction has not marked it already
                await self.finish(key)
        return invoke, deferred

    async def authenticate(
        self, activity: Activity, header: str | None
    ) -> AuthenticateRequestResult | None:
        try:
            # Emulator mode ignores any header: validating it would fetch Microsoft's keys.
            return await self.auth.authenticate_request(activity, None if self.emulator else header)
        except Exception as exc:  # every failure to authenticate is a 401, never a 500
            log.info("teams: request refused (%s)", type(exc).__name__)
            return None

    async def finish(self, key: str | None) -> None:
        """Mark the delivery done; a row left `received` by a failure here is purged in time."""
        if key is None:
            return
        try:
            await self.deliveries.finish([key])
        except Exception as exc:
            log.error("teams: marking a delivery done failed (%s)", type(exc).__name__)

    async def forget_old_deliveries(self) -> None:
        forgotten = await self.inbox.purge(self.core.clock.now() - INBOX_RETENTION)
        log.info("teams: forgot %d inbox row(s) older than a day", forgotten)

    async def on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        log.error("teams: turn failed (%s)", type(error).__name__)

    async def close(self) -> None:
        await self.tasks.close()
        await self.pool.close()
        if self.files is not None:
            await self.files.close()

    def mount(self, app: web.Application) -> None:
        """Add `POST /api/messages` to `app`; outbound work is awaited/cancelled on cleanup."""
        app[TEAMS] = self
        app.router.add_post("/api/messages", self.handle)
        forgetting: list[asyncio.Task[None]] = []

        async def start(_app: web.Application) -> None:
            await self.forget_old_deliveries()
            now = self.core.clock.now
            forgetting.append(asyncio.create_task(self.inbox.keep_forgetting(INBOX_RETENTION, now)))

        app.on_startup.append(start)

        async def close(_app: web.Application) -> None:
            for task in forgetting:
                task.cancel()
            await self.close()

        app.on_cleanup.append(close)


TEAMS = web.AppKey("teams", TeamsEndpoint)


def build_teams_endpoint(
    settings: Settings, core: Core, uow: SqlUnitOfWorkFactory, sender: OutboxSender
) -> TeamsEndpoint:
    """The Teams endpoint over the SQL store (its conversation references and inbox)."""
    references = TeamsReferences(uow.sessions)
    files = PendingFiles(uow.sessions)
    endpoint = TeamsEndpoint(settings, core, uow, references, Inbox(uow.engine), sender, files)
    if endpoint.emulator:
        log.warning(
            "teams: MICROSOFT_APP_ID is not set: /api/messages runs in local emulator mode "
            "WITHOUT authentication"
        )
    return endpoint

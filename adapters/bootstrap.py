"""The composition root: the one place that builds the store, the core, the chat
gateways, the Slack and Teams endpoints, the time service and the web app.

Nothing is built at import time; each CLI command calls `open_runtime` once, and
`revans serve` builds the web app (`build_web_app`) and runs the scheduler
(`running_scheduler`) on top of it. Everything else is handed what it needs.
Platform SDKs are imported here only when a server is built: `demo`, `console`
and `nudges` never load them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property, partial
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.config import Settings
from adapters.gateways import GatewayRoutes
from adapters.http.metrics import Metrics
from adapters.outbox_sender import OutboxSender, OutboxService
from adapters.store.claims import DueWorkStore
from adapters.store.engine import make_engine, ping
from adapters.store.migrate import upgrade
from adapters.store.outbox import OutboxStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.clock import SystemClock
from bot.delivery import StoredRefs
from bot.dispatch import Core
from bot.ports import Clock
from bot.usecases.retention import keep_sweeping
from scheduler.service import TimeService, running
from scheduler.sweeper import Sweeper

if TYPE_CHECKING:
    from aiohttp import web

    from adapters.http.app import Endpoint

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    uow: SqlUnitOfWorkFactory
    core: Core
    gateways: GatewayRoutes = field(default_factory=GatewayRoutes)
    """Chat gateways by platform prefix, for due work (registered as endpoints are built)."""
    metrics: Metrics = field(default_factory=Metrics)
    """This server's Prometheus registry, shared by the web app and the platform endpoints."""

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.lease_seconds)

    @cached_property
    def sender(self) -> OutboxSender:
        """Sends committed replies, and takes over those a dead process left unsent."""
        store = OutboxStore(self.engine, lease=self.lease)
        refs = StoredRefs(self.uow)
        return OutboxSender(store, self.gateways, self.core.clock.now, refs=refs)

    @property
    def due_work(self) -> DueWorkStore:
        """Stored due work: claims for the scheduler, reads for operators."""
        return DueWorkStore(self.engine)


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, migrate: bool = True, clock: Clock | None = None
) -> AsyncIterator[Runtime]:
    if migrate:
        await asyncio.to_thread(upgrade, settings.database_url)
    engine = make_engine(settings.database_url)
    clock = clock or SystemClock()
    uow = SqlUnitOfWorkFactory(
        engine, clock, outbox_lease=timedelta(seconds=settings.lease_seconds)
    )
    try:
        yield Runtime(settings, engine, uow, Core(uow=uow, clock=clock))
    finally:
        await engine.dispose()


def build_endpoints(runtime: Runtime) -> list[Endpoint]:
    """Slack (when configured) and Teams, each with its gateway registered for due work.

    Must run inside the server's event loop (the endpoints open HTTP sessions).
    """
    from adapters.slack.app import build_slack_endpoint, slack_enabled
    from adapters.teams.endpoint import build_teams_endpoint

    endpoints: list[Endpoint] = []
    settings, core = runtime.settings, runtime.core
    if slack_enabled(settings):
        registry = runtime.metrics.registry
        slack = build_slack_endpoint(settings, core, runtime.engine, registry, runtime.sender)
        runtime.gateways.register("slack", slack.handlers.gateway)
        endpoints.append(slack)
    teams = build_teams_endpoint(settings, core, runtime.uow, runtime.sender)
    runtime.gateways.register("teams", teams.gateway)
    endpoints.append(teams)
    return endpoints


def build_web_app(runtime: Runtime) -> web.Application:
    """The server's aiohttp app: health, metrics and every platform endpoint."""
    from adapters.http.app import web_application

    return web_application(
        metrics=runtime.metrics,
        check_database=partial(ping, runtime.engine),
        due_work_counts=runtime.due_work.counts_by_state,
        endpoints=[*build_endpoints(runtime), OutboxService(runtime.sender)],
    )


def build_time_service(runtime: Runtime) -> TimeService:
    """The sweeper over stored due work, delivering through the registered gateways."""
    sweeper = Sweeper(
        runtime.due_work,
        runtime.core,
        runtime.gateways,
        refs=StoredRefs(runtime.uow),
        outbox=runtime.sender.send,
    )
    return TimeService(sweeper, sweep_seconds=runtime.settings.sweep_seconds)


@asynccontextmanager
async def running_scheduler(runtime: Runtime) -> AsyncIterator[TimeService]:
    """Start the scheduler for `revans serve`; stop it cleanly on the way out."""
    service = build_time_service(runtime)
    await keep_sweeping(runtime.uow, runtime.core.clock.now())  # retention: daily, as due work
    async with running(service, runtime.uow.scheduled_listeners):
        log.info(
            "scheduler started: sweep every %gs as %s; gateways: %s",
            service.sweep_seconds,
            service.sweeper.owner,
            ", ".join(runtime.gateways.platforms) or "none",
        )
        yield service

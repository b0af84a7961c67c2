"""The composition root: builds the engine, the core and (for `serve`) the web app.

Nothing is built at import time; each CLI command calls `open_runtime` once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.config import Settings
from adapters.store.engine import make_engine
from adapters.store.migrate import upgrade
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.clock import SystemClock
from bot.dispatch import Core
from bot.ports import Clock
from scheduler.routing import GatewayRoutes


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    uow: SqlUnitOfWorkFactory
    core: Core
    gateways: GatewayRoutes = field(default_factory=GatewayRoutes)
    """Chat gateways by platform prefix, for due work (platform adapters register theirs)."""


@asynccontextmanager
async def open_runtime(
    settings: Settings, *, migrate: bool = True, clock: Clock | None = None
) -> AsyncIterator[Runtime]:
    if migrate:
        await asyncio.to_thread(upgrade, settings.database_url)
    engine = make_engine(settings.database_url)
    clock = clock or SystemClock()
    uow = SqlUnitOfWorkFactory(engine, clock)
    try:
        yield Runtime(settings, engine, uow, Core(uow=uow, clock=clock))
    finally:
        await engine.dispose()

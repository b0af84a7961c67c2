"""A real outbox sender for tests that build platform endpoints or handlers themselves
(the composition root builds one per server)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.outbox_sender import CrashPoint, OutboxSender, no_crash
from adapters.store.outbox import DEFAULT_LEASE, OutboxStore
from bot.ports import ChatGateway, GatewayResolver, NoGateway
from tests.fakes import FakeClock


def no_gateway(some_id: str) -> ChatGateway:
    raise NoGateway(some_id.split(":", 1)[0])


def outbox_sender(
    engine: AsyncEngine,
    now: Callable[[], datetime] | None = None,
    *,
    resolve: GatewayResolver = no_gateway,
    lease: object = DEFAULT_LEASE,
    crash_point: CrashPoint = no_crash,
) -> OutboxSender:
    store = OutboxStore(engine, lease=lease)  # type: ignore[arg-type]
    return OutboxSender(store, resolve, now or FakeClock().now, crash_point=crash_point)

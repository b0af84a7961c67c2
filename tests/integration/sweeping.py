"""Driving the real sweeper in tests: a core over the SQL store, a recording gateway."""

from __future__ import annotations

from datetime import timedelta

from adapters.gateways import GatewayRoutes
from adapters.store.claims import DueWorkStore
from adapters.store.engine import make_engine
from bot.dispatch import Core
from scheduler.sweeper import RetryPolicy, Sweeper
from tests.fakes import RecordingGateway

POLICY = RetryPolicy(lease=timedelta(minutes=5), batch=10, max_attempts=3)

RECORDED_KIND, RECORDING_PLATFORM = "test.record", "rec"
"""The kind `sweep_worker` registers and the platform of the gateway it records with."""


def sweeper_for(
    store: DueWorkStore, core: Core, gateway: RecordingGateway, owner: str = "w1"
) -> Sweeper:
    """A sweeper whose `test:` ids are served by `gateway`."""
    routes = GatewayRoutes()
    routes.register("test", gateway)
    return Sweeper(store, core, routes, POLICY, owner=owner)


async def due_work_counts(db_url: str) -> dict[str, int]:
    """Due-work rows by state, read through a short-lived engine."""
    engine = make_engine(db_url)
    try:
        return await DueWorkStore(engine).counts_by_state()
    finally:
        await engine.dispose()

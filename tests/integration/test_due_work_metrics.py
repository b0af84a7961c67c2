"""`/metrics` shows due work counted by state (counts only, no ids or content)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient, TestServer

from adapters.bootstrap import Runtime, build_web_app
from adapters.config import Settings
from adapters.store.claims import DueWorkStore
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.clock import SystemClock
from bot.dispatch import Core
from bot.duework import DueWork
from tests.confidential import PLANTED


async def test_metrics_count_due_work_by_state(
    db_url: str, uow_factory: SqlUnitOfWorkFactory
) -> None:
    now = datetime.now(UTC)
    async with uow_factory() as uow:
        for n in range(3):
            await uow.due_work.schedule(
                DueWork(kind="agreement.reminder", key=f"k{n}", due_at=now, user_id=f"x:{PLANTED}")
            )
        await uow.commit()
    core = Core(uow_factory, SystemClock())
    runtime = Runtime(Settings(database_url=db_url), uow_factory.engine, uow_factory, core)
    # one row parked: its platform has no gateway; two stay pending (not yet swept)
    store = DueWorkStore(uow_factory.engine)
    claimed = await store.claim(
        now=now, owner="w", lease=timedelta(minutes=5), limit=1, max_attempts=3
    )
    await store.park(claimed[0], "w", now=now, error="NoGateway")
    async with TestClient(TestServer(build_web_app(runtime))) as client:
        response = await client.get("/metrics")
        body = await response.text()
    assert response.status == 200
    assert 'revans_due_work{state="failed"} 1.0' in body
    assert 'revans_due_work{state="pending"} 2.0' in body
    assert 'revans_due_work{state="done"} 0.0' in body
    assert PLANTED not in body

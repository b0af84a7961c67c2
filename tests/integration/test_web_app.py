"""The web app's own middleware: an unhandled error is a 500 logged by type only."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.bootstrap import Runtime, build_web_app
from adapters.config import Settings
from adapters.http.app import METRICS
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.clock import SystemClock
from bot.dispatch import Core
from tests.confidential import PLANTED


async def boom(request: web.Request) -> web.Response:
    # e.g. a database error whose message carries the SQL parameters: set content
    raise RuntimeError(f"INSERT failed [parameters: ('{PLANTED}',)]")


async def test_an_unhandled_error_is_a_500_without_its_message_in_the_logs(
    db_url: str, uow_factory: SqlUnitOfWorkFactory
) -> None:
    core = Core(uow_factory, SystemClock())
    runtime = Runtime(Settings(database_url=db_url), uow_factory.engine, uow_factory, core)
    app = build_web_app(runtime)
    app.router.add_post("/boom", boom)
    async with TestClient(TestServer(app)) as client:
        response = await client.post("/boom")
        body = await response.text()
        metrics = app[METRICS].requests.labels("/boom", "500")._value.get()
    assert response.status == 500
    assert PLANTED not in body
    assert metrics == 1

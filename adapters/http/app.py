"""The aiohttp application: one server for every platform endpoint."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from adapters.bootstrap import Runtime
from adapters.http.metrics import Metrics
from adapters.store.claims import DueWorkStore
from adapters.teams.endpoint import mount_teams

log = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", Runtime)
METRICS = web.AppKey("metrics", Metrics)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_web_app(runtime: Runtime) -> web.Application:
    app = web.Application(middlewares=[count_requests])
    app[RUNTIME] = runtime
    app[METRICS] = Metrics()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    mount_slack(app, runtime)
    teams = mount_teams(app, runtime.settings, runtime.core, runtime.uow)
    runtime.gateways.register("teams", teams.gateway)  # for due work
    return app


def mount_slack(app: web.Application, runtime: Runtime) -> None:
    """`POST /slack/events` only when Slack is configured (else the route does not exist)."""
    from adapters.slack.app import build_slack_endpoint, slack_enabled

    if slack_enabled(runtime.settings):
        registry = app[METRICS].registry
        endpoint = build_slack_endpoint(runtime.settings, runtime.core, runtime.engine, registry)
        endpoint.mount(app)
        runtime.gateways.register("slack", endpoint.handlers.gateway)  # for due work


@web.middleware
async def count_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count every request by route and status; an unhandled error becomes a bare 500
    logged by its type only (aiohttp's own log would carry its message, and a database
    error's message carries the statement's parameters: set content)."""
    status = 500
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except Exception as exc:
        log.error("http: %s %s failed (%s)", request.method, name, type(exc).__name__)
        return web.json_response({"error": "internal error"}, status=500)
    finally:
        request.app[METRICS].requests.labels(name, str(status)).inc()


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    try:
        async with runtime.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check: database unavailable (%s)", type(exc).__name__)
        return web.json_response({"status": "error", "database": "unavailable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


async def metrics(request: web.Request) -> web.Response:
    try:
        counts = await DueWorkStore(request.app[RUNTIME].engine).counts_by_state()
    except Exception as exc:
        log.warning("metrics: due work counts unavailable (%s)", type(exc).__name__)
    else:
        request.app[METRICS].show_due_work(counts)
    body = generate_latest(request.app[METRICS].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

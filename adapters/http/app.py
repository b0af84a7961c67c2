"""The aiohttp application: one server for every platform endpoint.

It only mounts what it is given (`adapters.bootstrap` builds it all): the platform
endpoints, the database check behind `/healthz` and the due-work counts behind
`/metrics`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adapters.http.metrics import Metrics

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Endpoint(Protocol):
    """A platform endpoint: adds its routes (and start-up/shutdown hooks) to the app."""

    def mount(self, app: web.Application) -> None: ...


@dataclass(frozen=True)
class Probes:
    check_database: Callable[[], Awaitable[None]]
    """Raises when the database cannot be reached."""
    due_work_counts: Callable[[], Awaitable[Mapping[str, int]]]
    """Due work rows by state."""


METRICS = web.AppKey("metrics", Metrics)
PROBES = web.AppKey("probes", Probes)


def web_application(
    *,
    metrics: Metrics,
    check_database: Callable[[], Awaitable[None]],
    due_work_counts: Callable[[], Awaitable[Mapping[str, int]]],
    endpoints: Iterable[Endpoint] = (),
) -> web.Application:
    app = web.Application(middlewares=[count_requests])
    app[METRICS] = metrics
    app[PROBES] = Probes(check_database, due_work_counts)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", show_metrics)
    for endpoint in endpoints:
        endpoint.mount(app)
    return app


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
    try:
        await request.app[PROBES].check_database()
    except Exception as exc:
        log.warning("health check: database unavailable (%s)", type(exc).__name__)
        return web.json_response({"status": "error", "database": "unavailable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


async def show_metrics(request: web.Request) -> web.Response:
    try:
        counts = await request.app[PROBES].due_work_counts()
    except Exception as exc:
        log.warning("metrics: due work counts unavailable (%s)", type(exc).__name__)
    else:
        request.app[METRICS].show_due_work(counts)
    body = generate_latest(request.app[METRICS].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

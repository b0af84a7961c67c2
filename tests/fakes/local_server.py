"""Serving a test double's aiohttp app on a free 127.0.0.1 port."""

from __future__ import annotations

import socket

from aiohttp import web


def free_port() -> int:
    """A port free on 127.0.0.1 now (for a server started in another process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def serve_locally(app: web.Application) -> tuple[web.AppRunner, str]:
    """Start `app` on a free loopback port; the runner (to clean up) and the base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/"

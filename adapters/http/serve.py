"""`revans serve`: run the web app until interrupted."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from adapters.bootstrap import open_runtime
from adapters.config import Settings
from adapters.http.app import build_web_app

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, host: str, port: int) -> None:
    async with open_runtime(settings) as runtime:
        app = build_web_app(runtime)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        log.info("revans serving on http://%s:%d", host, port)
        stop = asyncio.Event()
        # SIGTERM (docker stop, a test's terminate) shuts down cleanly: outbound work
        # is awaited or cancelled by the web app's cleanup hooks.
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            log.info("revans stopped")

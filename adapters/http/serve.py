"""`revans serve`: run the web app until interrupted."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from adapters.bootstrap import open_runtime
from adapters.config import Settings
from adapters.http.app import build_web_app
from scheduler.service import running_scheduler

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, host: str, port: int) -> None:
    async with open_runtime(settings) as runtime:
        app = build_web_app(runtime)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        log.info("revans serving on http://%s:%d", host, port)
        try:
            async with running_scheduler(runtime):
                await stop_signal()
        finally:
            await runner.cleanup()


async def stop_signal() -> None:
    """Wait for SIGTERM or SIGINT, so shutdown runs every `finally` (scheduler, server)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
        log.info("revans stopping")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)

"""`revans serve`: run the web app until interrupted."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from adapters.bootstrap import build_web_app, open_runtime, running_scheduler
from adapters.config import Settings

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, host: str, port: int) -> None:
    async with open_runtime(settings) as runtime:
        app = build_web_app(runtime)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:  # e.g. the port is taken: say so, no traceback
            await runner.cleanup()
            raise SystemExit(f"revans: cannot listen on {host}:{port}: {exc.strerror}") from None
        log.info("revans serving on http://%s:%d", host, port)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):  # shut down cleanly: finish tracked work
            loop.add_signal_handler(sig, stop.set)
        try:
            async with running_scheduler(runtime):
                await stop.wait()
                log.info("revans stopping: finishing work in flight")
        finally:
            await runner.cleanup()
            log.info("revans stopped")

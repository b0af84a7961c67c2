"""Logging set-up. Third-party loggers that echo SQL parameters or payloads are
held at WARNING whatever LOG_LEVEL says: set content must never reach the logs."""

from __future__ import annotations

import logging

NOISY = (
    "aiosqlite",
    "sqlalchemy.engine",
    "asyncio",
    "slack_bolt",
    "slack_sdk",
    "urllib3",
    "msrest",
    "botbuilder",
    "botframework",
    "apscheduler",
    "aiohttp.access",
    "alembic.runtime.plugins",
)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    quiet_third_parties()


def quiet_third_parties() -> None:
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)

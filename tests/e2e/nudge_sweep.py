"""A sweep at a simulated later moment, beside a running `revans serve`.

The server keeps the real clock; the test runs one sweep of the same database with a
fake clock set to when a nudge is due, through the composition root's own gateways
(pointed at the platform fake) and outbox sender, so the refs of what it sends are
stored for the server to update in place when a button is pressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from adapters.bootstrap import build_endpoints, build_time_service, open_runtime
from adapters.config import load_settings
from scheduler.sweeper import SweepReport
from tests.e2e.database import rows
from tests.fakes import FakeClock

NUDGES = (
    "SELECT key, due_at, user_id FROM due_work WHERE kind = 'action.nudge' AND state = 'pending'"
)


def _aware(raw: datetime | str) -> datetime:
    at = raw if isinstance(raw, datetime) else datetime.fromisoformat(raw)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def pending_nudges(db_url: str) -> list[tuple[str, datetime, str]]:
    """The nudge sends waiting: key, due moment (aware UTC), member; earliest first."""
    found = [(key, _aware(due), user) for key, due, user in await rows(db_url, NUDGES)]
    return sorted(found, key=lambda row: row[1])


async def sweep_at(env: Mapping[str, str], at: datetime, tmp_path: Path) -> SweepReport:
    settings = load_settings(env, dotenv=str(tmp_path / "no.env"))
    async with open_runtime(settings, migrate=False, clock=FakeClock(at)) as runtime:
        endpoints = build_endpoints(runtime)
        try:
            return await build_time_service(runtime).sweeper.sweep_once()
        finally:
            for endpoint in endpoints:
                await endpoint.close()  # type: ignore[attr-defined]

"""`revans nudges due` lists the meeting reminders the demo's fortnightly schedule queued."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from adapters.store.engine import make_engine
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.model import Meeting
from bot.usecases.meeting_reminder import KIND, REMIND_BEFORE
from tests.e2e.cli import revans_env, run_revans

DEMO_CONTENT = ("Ward leaders", "rota", "discharge coordinator", "What is said here")


async def demo_meetings(db_url: str) -> list[Meeting]:
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            (set_id,) = (await conn.execute(text("SELECT id FROM learning_set"))).scalars().all()
        async with SqlUnitOfWorkFactory(engine)() as uow:
            return await uow.meetings.upcoming(set_id, datetime(2000, 1, 1, tzinfo=UTC))
    finally:
        await engine.dispose()


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def meeting_rows(db_url: str, at: datetime, tmp_path: Path) -> list[dict[str, object]]:
    env = revans_env(DATABASE_URL=db_url)
    done = run_revans("nudges", "due", "--at", iso(at), "--json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not any(words in done.stdout + done.stderr for words in DEMO_CONTENT)
    return [row for row in json.loads(done.stdout) if row["kind"] == KIND]


def test_nudges_due_lists_the_demo_schedules_meeting_reminders(db_url: str, tmp_path: Path) -> None:
    done = run_revans("demo", env=revans_env(DATABASE_URL=db_url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    meetings = asyncio.run(demo_meetings(db_url))
    assert len(meetings) == 6
    # A meeting an hour or less away when planned gets no reminder (the demo may run then).
    reminded = [m for m in meetings if m.starts_at - REMIND_BEFORE > m.created_at]
    # The demo holds the first two meetings (simulated time): their reminders were delivered.
    reminded = [m for m in reminded if m.starts_at > meetings[1].starts_at]
    assert len(reminded) >= 3
    last_due = reminded[-1].starts_at - REMIND_BEFORE

    assert (
        meeting_rows(db_url, reminded[0].starts_at - REMIND_BEFORE - timedelta(seconds=1), tmp_path)
        == []
    )

    rows = meeting_rows(db_url, last_due, tmp_path)
    assert [(r["kind"], r["set_id"], r["due_at"], r["key"]) for r in rows] == [
        (KIND, m.set_id, iso(m.starts_at - REMIND_BEFORE), f"{KIND}:{m.id}") for m in reminded
    ]
    assert all(r["user_id"] is None and r["member"] is None for r in rows)
    assert all(r["platform"] == "console" for r in rows)  # from the set: no member here
    # At the last reminder's instant the earlier meetings are over: those would be dropped.
    assert [r["would"] for r in rows] == ["drop"] * (len(rows) - 1) + ["send"]
    assert all(str(r["reason"]).startswith("stale") for r in rows[:-1])

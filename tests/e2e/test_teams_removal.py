"""Revans removed from a team stops sending there, end to end: the real `revans serve`
(emulator mode) and the fake Bot Connector. The set's meeting reminder, due after the
removal, is dropped by the sweep (`Undeliverable`) instead of being posted or retried."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e.cli import revans_env
from tests.e2e.nudge_sweep import _aware, sweep_at
from tests.e2e.teams_server import CHANNEL, activity, command, revans_serve
from tests.e2e.teams_steps import FARAH, in_channel, query
from tests.fakes.bot_connector import FakeConnector


async def test_after_removal_a_due_reminder_is_dropped_not_sent(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    day = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        assert await server.post(command(FARAH, "create Ward leaders", service_url=url)) == 200
        await fake.wait_for(lambda _: in_channel(fake, "made this place the set") == 1)
        words = f"schedule {day} 14:00 Europe/London"
        assert await server.post(command(FARAH, words, service_url=url)) == 200  # turn done
        await fake.wait_for(
            lambda _: in_channel(fake, "Planned") >= 1 or in_channel(fake, "meeting") >= 1
        )
        removed = activity(
            FARAH, "", service_url=url, conversation=CHANNEL, kind="channel",
            activity_type="installationUpdate",
        )  # fmt: skip
        del removed["text"]
        removed["action"] = "remove"
        assert await server.post(removed) == 200
        assert await query(db_url, "SELECT count(*) FROM teams_conversation") == [(0,)]
    (due,) = await query(
        db_url, "SELECT due_at FROM due_work WHERE kind = 'meeting.reminder' AND state = 'pending'"
    )
    before = len(fake.sent_to(CHANNEL))
    report = await sweep_at(revans_env(DATABASE_URL=db_url), _aware(due[0]), tmp_path)  # type: ignore[arg-type]
    assert report.failed == 0
    assert len(fake.sent_to(CHANNEL)) == before, "nothing is posted where Revans was removed"
    assert await query(db_url, "SELECT count(*) FROM outbox WHERE state <> 'sent'") == [(0,)]

"""A previous `revans serve` acknowledged two slash commands and died before handling them:
the next one replays them from the inbox at start-up. Both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from adapters.slack.handlers import SOURCE, delivery_keys
from adapters.store.engine import make_engine
from adapters.store.inbox import TABLE, Inbox
from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.slack_client import CHANNEL, RevansServer
from tests.fakes.slack_web_api import TEAM, FakeSlack, RunningFake


def command(user: str, text: str, trigger: str, fake: FakeSlack) -> dict[str, Any]:
    """A slash command's body as bolt parsed it before the previous process stored it."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "team_domain": "fake",
        "channel_id": CHANNEL,
        "channel_name": "set-room",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/set",
        "text": text,
        "api_app_id": "A0REVANS",
        "response_url": f"{fake.url}response/{trigger}",
        "trigger_id": trigger,
    }


async def inbox_rows(db_url: str) -> list[tuple[str, str | None]]:
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(select(TABLE.c.state, TABLE.c.payload))
            return [(state, payload) for state, payload in found.all()]
    finally:
        await engine.dispose()


async def test_commands_acknowledged_by_a_dead_process_are_answered_after_restart(
    db_url: str, tmp_path: Path
) -> None:
    async with RunningFake(FakeSlack()) as fake:
        engine = make_engine(db_url)
        died_at = datetime.now(UTC) - timedelta(minutes=2)
        try:
            inbox = Inbox(engine)
            for body in (
                command("UFAY", f"create Ward {PLANTED}", "1.11.aaa", fake),
                command("UANN", f"help {PLANTED}", "2.22.bbb", fake),
            ):
                assert await inbox.claim(SOURCE, delivery_keys(body), died_at, json.dumps(body))
        finally:
            await engine.dispose()

        async with RevansServer(tmp_path, db_url, fake) as server:
            (announce,) = await fake.wait_for(
                lambda: fake.ok_calls("chat.postMessage"), what="the replayed create"
            )
            assert announce.args["channel"] == CHANNEL
            assert f"the set “Ward {PLANTED}”" in announce.args["text"]
            (answer,) = await fake.wait_for(
                lambda: [
                    c for c in fake.ok_calls("chat.postEphemeral") if c.args["user"] == "UANN"
                ],
                what="the replayed private answer",
            )
            assert answer.args["channel"] == CHANNEL
            await fake.wait_for(
                lambda: "replaying 2 delivery(ies)" in server.output(), what="the replay logged"
            )
        assert_not_leaked(server.output(), "the server's logs")
        assert server.returncode == 0, server.output()[-3000:]
        assert await inbox_rows(db_url) == [("done", None), ("done", None)]
        assert len(fake.ok_calls("chat.postMessage")) == 1, "each replayed once"

"""Slack delivery semantics against the real server process: signatures, the inbox
(retries and doubled deliveries handled once), rate limits waited out, fallbacks."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import aiohttp
import pytest

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env, run_revans
from tests.e2e.database import rows, wait_rows
from tests.e2e.slack_client import (
    FAC,
    MEMBERS,
    RevansServer,
    SlackSender,
    app_mention,
    ephemerals_to,
    message,
)
from tests.fakes.local_server import free_port
from tests.fakes.slack_web_api import TEAM, FakeSlack, RunningFake
from tests.polling import eventually

Slack = tuple[FakeSlack, RevansServer, SlackSender]
T = TypeVar("T")


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[Slack]:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'revans.db'}"
    async with RunningFake(FakeSlack()) as fake, RevansServer(tmp_path, db_url, fake) as server:
        yield fake, server, SlackSender(server, fake)
    assert_not_leaked(server.output(), "the server's logs")
    assert server.returncode == 0, server.output()[-3000:]


def db_of(server: RevansServer) -> str:
    return server.env["DATABASE_URL"]


async def metric(server: RevansServer, name: str, **labels: str) -> float:
    async with aiohttp.ClientSession() as session, session.get(f"{server.url}/metrics") as r:
        body = await r.text()
    total = 0.0
    for line in body.splitlines():
        if line.startswith(f"{name}_total{{") and all(
            f'{k}="{v}"' in line for k, v in labels.items()
        ):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def set_with_member(fake: FakeSlack, send: SlackSender) -> None:
    await send.command(FAC, "create Ward")
    await send.command(MEMBERS[0], "join")
    await fake.wait_for(lambda: ephemerals_to(fake, MEMBERS[0]), what="the welcome")


async def test_bad_signature_and_stale_timestamp_are_refused(slack: Slack) -> None:
    fake, server, send = slack
    body = send.command_body(FAC, "create Ward")
    assert (await send.post(body, "application/x-www-form-urlencoded", secret="wrong"))[0] == 401
    stale = int(time.time()) - 6 * 60
    status, _ = await send.post(body, "application/x-www-form-urlencoded", timestamp=stale)
    assert status == 401
    assert (await send.post(body, "application/x-www-form-urlencoded"))[0] == 200
    await fake.wait_for(lambda: fake.ok_calls("chat.postMessage"), what="the accepted create")
    assert len(await rows(db_of(server), "SELECT id FROM learning_set")) == 1
    assert len(await rows(db_of(server), "SELECT key FROM inbound_event")) == 1


async def test_the_url_verification_challenge_is_answered(slack: Slack) -> None:
    _, _, send = slack
    body = '{"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", '
    body += '"type": "url_verification"}'
    status, answer = await send.post(body, "application/json")
    assert status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in answer


async def test_retried_and_doubled_deliveries_are_handled_once(slack: Slack) -> None:
    fake, server, send = slack
    await set_with_member(fake, send)
    handled_before = await metric(server, "revans_slack_handled", kind="event")

    first = message(MEMBERS[0], f"First {PLANTED}", "1700000200.000100")
    assert (await send.event(first, event_id="EvFIRST"))[0] == 200
    assert (await send.event(first, event_id="EvFIRST", retry=1))[0] == 200
    mention = app_mention(MEMBERS[0], f"<@UBOT> First {PLANTED}", "1700000200.000100")
    assert (await send.event(mention, event_id="EvMENTION"))[0] == 200
    # A retry whose first delivery never arrived is handled like a first delivery.
    lost = message(MEMBERS[0], "Second", "1700000200.000200")
    assert (await send.event(lost, event_id="EvLOST", retry=2))[0] == 200

    found = await wait_rows(db_of(server), "SELECT message_id, text FROM contribution", 2)
    assert sorted(found) == [
        ("1700000200.000100", f"First {PLANTED}"),
        ("1700000200.000200", "Second"),
    ]
    assert await metric(server, "revans_slack_inbound", kind="event", outcome="duplicate") == 2
    await eventually(
        lambda: metric(server, "revans_slack_handled", kind="event"),
        lambda handled: handled >= handled_before + 2,
    )
    assert await metric(server, "revans_slack_handled", kind="event") == handled_before + 2


async def test_a_doubled_slash_command_answers_once(slack: Slack) -> None:
    fake, server, send = slack
    body = send.command_body(FAC, "help", trigger="42.77.dup")
    for _ in range(2):
        assert (await send.post(body, "application/x-www-form-urlencoded"))[0] == 200
    await fake.wait_for(lambda: ephemerals_to(fake, FAC), what="the help answer")
    await send.command(FAC, "members")  # a later command, so the double had time to show
    await fake.wait_for(lambda: len(ephemerals_to(fake, FAC)) == 2, what="the members answer")
    help_answer, members_answer = (a["text"] for a in ephemerals_to(fake, FAC))
    assert "Commands" in help_answer and "There is no set in this place yet" in members_answer
    keys = [k for (k,) in await rows(db_of(server), "SELECT key FROM inbound_event")]
    assert all(re.fullmatch(r"trigger:[0-9a-f]{40}", k) for k in keys) and len(keys) == 2


async def test_a_rate_limit_is_waited_out_and_the_answer_arrives_once(slack: Slack) -> None:
    fake, _, send = slack
    fake.rate_limit_next("chat.postEphemeral", retry_after=1)
    await send.command(FAC, "help")
    (answer,) = await fake.wait_for(lambda: ephemerals_to(fake, FAC), what="the answer")
    attempts = fake.calls_to("chat.postEphemeral")
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[0].args["text"] == answer["text"]


async def test_not_in_channel_falls_back_to_the_response_url(slack: Slack) -> None:
    fake, _, send = slack
    fake.unreachable_channels.add("G0PRIVATE")
    await send.command(FAC, f"create {PLANTED}", channel="G0PRIVATE")
    await send.command(FAC, "join", channel="G0PRIVATE")
    await fake.wait_for(lambda: len(fake.responses) == 2, what="two response_url answers")
    announce, refusal = fake.responses
    assert announce["response_type"] == "in_channel" and PLANTED in announce["text"]
    assert refusal["response_type"] == "ephemeral"
    assert "already" in refusal["text"]
    assert [c.error for c in fake.calls_to("chat.postMessage")] == ["not_in_channel"]


async def test_lifecycle_events_are_acknowledged_and_logged_without_tokens(slack: Slack) -> None:
    fake, server, send = slack
    status, _ = await send.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}})
    assert status == 200
    assert (await send.event({"type": "app_uninstalled"}))[0] == 200
    await eventually(server.read_output, lambda out: "app_uninstalled for workspace" in out)
    assert f"tokens_revoked for workspace {TEAM}" in server.output()
    assert fake.token not in server.output()


def test_slack_settings_come_in_pairs(tmp_path: Path) -> None:
    env = revans_env(SLACK_BOT_TOKEN="xoxb-1", DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}")
    done = run_revans("serve", "--port", str(free_port()), env=env, cwd=tmp_path, timeout=20)
    assert done.returncode == 2 and "SLACK_SIGNING_SECRET" in done.stderr
    assert "xoxb-1" not in done.stderr
    done = run_revans("demo", env=revans_env(SLACK_SIGNING_SECRET="s"), cwd=tmp_path)
    assert done.returncode == 2 and "SLACK_BOT_TOKEN" in done.stderr


async def test_without_slack_settings_the_endpoint_is_off(tmp_path: Path) -> None:
    fake = FakeSlack()
    server = RevansServer(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'off.db'}", fake)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        server.env.pop(name)
    async with server, aiohttp.ClientSession() as session:
        async with session.post(f"{server.url}/slack/events", data="{}") as r:
            assert r.status == 404
        async with session.get(f"{server.url}/healthz") as r:
            assert r.status == 200


async def test_edits_deletions_and_bots_messages(slack: Slack) -> None:
    fake, server, send = slack
    await set_with_member(fake, send)
    db = db_of(server)
    await send.event(message(MEMBERS[0], "Draft", "1700000300.000100"))
    await send.event({**message("U0OTHERBOT", "Beep", "1700000300.000200"), "bot_id": "B9"})
    await send.event({**message(MEMBERS[0], "", "1700000300.000300"), "subtype": "channel_join"})
    await wait_rows(db, "SELECT text FROM contribution", 1)
    changed = {
        "type": "message",
        "subtype": "message_changed",
        "channel": "C0SET",
        "ts": "1700000300.000400",
        "message": {
            "type": "message",
            "user": MEMBERS[0],
            "text": f"Final {PLANTED}",
            "ts": "1700000300.000100",
        },
        "previous_message": {
            "type": "message",
            "user": MEMBERS[0],
            "text": "Draft",
            "ts": "1700000300.000100",
        },
    }
    await send.event(changed)
    edited = await eventually(
        lambda: rows(db, "SELECT text, edited_at FROM contribution"),
        lambda found: found and found[0][0] == f"Final {PLANTED}",
    )
    assert edited[0][1] is not None
    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": "C0SET",
        "ts": "1700000300.000500",
        "deleted_ts": "1700000300.000100",
    }
    await send.event(deleted)
    await eventually(lambda: rows(db, "SELECT text FROM contribution"), lambda found: not found)
    # Every delivery, the ignored ones included, was recorded and finished.
    await eventually(
        lambda: rows(db, "SELECT state FROM inbound_event WHERE key LIKE 'event:%'"),
        lambda states: len(states) == 5 and {s for (s,) in states} == {"done"},
    )


async def test_shutdown_waits_for_answers_still_in_flight(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'revans.db'}"
    async with RunningFake(FakeSlack()) as fake:
        server = RevansServer(tmp_path, db_url, fake)
        async with server:
            release = fake.hold("chat.postEphemeral")
            status, _ = await SlackSender(server, fake).command(FAC, "help")
            assert status == 200
            await fake.wait_for(lambda: fake.waiting, what="the answer to be in flight")
            assert server.process is not None
            server.process.terminate()  # SIGTERM while the answer is still being sent
            await fake.wait_for(lambda: "revans stopping" in server.output(), what="stopping")
            release.set()
            await asyncio.to_thread(server.process.wait, 20)
        assert server.returncode == 0, server.output()[-3000:]
        assert [c.args["user"] for c in fake.ok_calls("chat.postEphemeral")] == [FAC]
        assert "cancelling" not in server.output()
    # The answer's task ran to its end (it marks the inbox row done last) before exit.
    assert await rows(db_url, "SELECT state FROM inbound_event") == [("done",)]


async def test_a_renamed_command_is_the_one_answered_and_shown(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'revans.db'}"
    async with (
        RunningFake(FakeSlack()) as fake,
        RevansServer(tmp_path, db_url, fake, SLACK_COMMAND="/als") as server,
    ):
        send = SlackSender(server, fake)
        form = "application/x-www-form-urlencoded"
        await send.post(send.command_body(FAC, "membrs", command="/als"), form)
        (answer,) = await fake.wait_for(lambda: ephemerals_to(fake, FAC), what="the answer")
        assert "Example: `/als members`" in answer["text"]

"""`revans serve --socket-mode`: the real server takes Slack's deliveries over a WebSocket
it opens (the fake Socket Mode server), with no signing secret and no public route.

It asks `apps.connections.open` on SLACK_API_URL with the app-level token for the
socket's URL, connects, and then handles slash commands, events and modal submissions
pushed as envelopes exactly as it handles signed POSTs: the same inbox (a redelivered
event acts once), the same answers through the Web API, every envelope acknowledged.
A missing, mistyped or refused app token stops start-up with a message naming it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env, run_revans
from tests.e2e.database import rows
from tests.e2e.slack_client import CHANNEL, FAC, MEMBERS, RevansServer, ephemerals_to, message
from tests.e2e.slack_socket import SocketSender, socket_server
from tests.e2e.test_slack_rounds import a_set_of_three, posted
from tests.fakes.local_server import free_port
from tests.fakes.slack_socket_mode import FakeSocketMode, RunningSocketMode
from tests.fakes.slack_web_api import TEAM, FakeSlack, RunningFake
from tests.polling import eventually

ANN = MEMBERS[0]
DM = f"D{ANN[1:]}"
Slack = tuple[FakeSlack, RevansServer, SocketSender]


@pytest.fixture
async def slack(db_url: str, tmp_path: Path) -> AsyncIterator[Slack]:
    """The real `revans serve --socket-mode` (no signing secret) connected to the fake
    socket; its logs must hold no set content and it must exit cleanly."""
    async with (
        RunningSocketMode(FakeSocketMode()) as socket,
        RunningFake(FakeSlack()) as fake,
    ):
        fake.socket_url = socket.url
        server = socket_server(tmp_path, db_url, fake)
        async with server:
            await socket.connected()
            yield fake, server, SocketSender(server, fake, socket)
    assert_not_leaked(server.output(), "the server's logs")
    assert server.returncode == 0, server.output()[-3000:]


async def test_a_set_is_created_and_joined_over_the_socket(slack: Slack, db_url: str) -> None:
    fake, server, send = slack
    (opened,) = fake.ok_calls("apps.connections.open")  # once, with the app-level token
    assert opened.answer == {"url": send.socket.url}

    await a_set_of_three(fake, send)  # create, then three join + agree, all as envelopes

    (announced,) = posted(fake, "made this place the set")
    assert announced["channel"] == CHANNEL
    assert await rows(db_url, "SELECT count(*) FROM membership") == [(4,)]
    assert [e.kind for e in send.sent] == ["slash_commands"] * 7
    for envelope in send.sent:  # each acknowledged exactly once, with no payload
        assert send.socket.acks_of(envelope.envelope_id) == [{"envelope_id": envelope.envelope_id}]
    # No public route: nothing listens for signed POSTs in Socket Mode.
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.url}/slack/events", data="{}") as response,
    ):
        assert response.status in (404, 405)


async def test_an_event_delivered_twice_acts_once(slack: Slack, db_url: str) -> None:
    fake, _, send = slack
    await a_set_of_three(fake, send)
    event = message(ANN, f"log asking first changed everything {PLANTED}", "1700000100.000100")
    event["channel"], event["channel_type"] = DM, "im"
    body = send.event_body(event, event_id="EvSOCKET1")
    first = await send.socket.push("events_api", json.loads(body))
    again = await send.socket.push("events_api", json.loads(body), retry_attempt=1)
    same = await send.socket.push("events_api", json.loads(body), envelope_id=first.envelope_id)
    await send.socket.acked(first, times=2)  # `same` is `first` sent again
    await send.socket.acked(again)
    assert same.envelope_id == first.envelope_id

    (kept,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, ANN) if "learning log" in e["text"]],
        what="the answer in the DM",
    )
    assert kept["channel"] == DM
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
        lambda undone: undone == [(0,)],
        what="every inbox row to be marked done",
    )
    assert await rows(db_url, "SELECT text FROM learning_log_entry") == [
        (f"asking first changed everything {PLANTED}",)
    ]
    assert len([e for e in ephemerals_to(fake, ANN) if "learning log" in e["text"]]) == 1


async def test_it_reconnects_when_slack_asks_and_carries_on(slack: Slack) -> None:
    fake, _, send = slack
    assert (await send.command(FAC, "create Ward"))[0] == 200
    await send.socket.refresh()
    await eventually(lambda: send.socket.connections, lambda n: n == 2, what="a new connection")
    assert len(fake.ok_calls("apps.connections.open")) == 2  # a fresh URL for it
    assert (await send.command(ANN, "join"))[0] == 200
    await fake.wait_for(lambda: ephemerals_to(fake, ANN), what="the welcome")


async def test_an_envelope_of_a_shape_slack_never_sends_is_acknowledged_and_dropped(
    slack: Slack, db_url: str
) -> None:
    fake, server, send = slack
    odd = {"type": "event_callback", "event_id": "EvODD", "event": [PLANTED]}
    envelope = await send.socket.push("events_api", odd)
    assert await send.socket.acked(envelope) == {"envelope_id": envelope.envelope_id}
    await eventually(server.read_output, lambda out: "(event is not an object)" in out)
    assert await rows(db_url, "SELECT count(*) FROM inbound_event") == [(0,)]
    assert (await send.command(FAC, "create Ward"))[0] == 200  # and it carries on
    await fake.wait_for(lambda: posted(fake, "made this place the set"), what="the set")


async def test_a_modal_is_submitted_over_the_socket(slack: Slack, db_url: str) -> None:
    fake, _, send = slack
    assert (await send.command(FAC, "create Ward"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "made this place the set"), what="the set")
    assert (await send.command(FAC, "challenge", trigger="4242.1234.challenge"))[0] == 200
    (view,) = await fake.wait_for(fake.views_opened, what="views.open")

    # A blank field: the acknowledgement carries the field errors (the modal stays open).
    status, answer = await send.view_submission(FAC, view, {"text": " "})
    assert status == 200 and json.loads(answer)["response_action"] == "errors"
    assert await rows(db_url, "SELECT count(*) FROM statement") == [(0,)]

    assert await send.view_submission(FAC, view, {"text": f"Rota gaps {PLANTED}"}) == (200, "")
    await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, FAC) if "challenge is saved" in e["text"]],
        what="the challenge saved",
    )
    assert await rows(db_url, "SELECT owner_id, text FROM statement") == [
        (f"slack:{TEAM}:{FAC}", f"Rota gaps {PLANTED}")
    ]
    assert [e.kind for e in send.sent][-2:] == ["interactive", "interactive"]


async def test_commands_acknowledged_by_a_killed_server_are_answered_after_restart(
    db_url: str, tmp_path: Path
) -> None:
    """Acknowledged means never lost, over the socket too: the first server acks 20
    commands but gets no answer out (the fake holds chat.postEphemeral) and is killed;
    the second takes the inbox (and outbox) over once the short lease runs out."""
    users = [f"UK{n:04d}" for n in range(20)]
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()

    def answered() -> set[str]:
        return {c.args["user"] for c in fake.ok_calls("chat.postEphemeral")}

    async with (
        RunningSocketMode(FakeSocketMode()) as socket,
        RunningFake(FakeSlack()) as fake,
    ):
        fake.socket_url = socket.url
        held = fake.hold("chat.postEphemeral")
        first = socket_server(tmp_path / "first", db_url, fake, REVANS_LEASE_SECONDS="2")
        async with first:
            await socket.connected()
            send = SocketSender(first, fake, socket)
            statuses = await asyncio.gather(*(send.command(u, "help") for u in users))
            assert [status for status, _ in statuses] == [200] * len(users)
            assert first.process is not None
            first.process.kill()  # kill -9: no shutdown, no finally
            await asyncio.to_thread(first.process.wait, 10)
        assert answered() == set()
        del fake.held["chat.postEphemeral"]

        second = socket_server(tmp_path / "second", db_url, fake, REVANS_LEASE_SECONDS="2")
        async with second:
            await eventually(
                lambda: answered() == set(users),
                timeout=60.0,
                what="every acknowledged command answered",
                explain=lambda: f"{len(answered())} answered\n{second.output()[-2000:]}",
            )
        assert socket.connections == 2
        assert len(fake.ok_calls("chat.postEphemeral")) == len(users)  # each answered once
        held.set()  # the dead server's calls still waiting in the fake end now
    assert second.returncode == 0, second.output()[-3000:]


@pytest.mark.parametrize(
    ("app_token", "says"),
    [("", "SLACK_APP_TOKEN: is required for --socket-mode"), ("xoxb-s3cret", "'xapp-'")],
)
def test_start_up_names_a_missing_or_mistyped_app_token(
    app_token: str, says: str, tmp_path: Path
) -> None:
    env = revans_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'never.db'}",
        SLACK_BOT_TOKEN="xoxb-bot",
        SLACK_APP_TOKEN=app_token,
    )
    done = run_revans("serve", "--socket-mode", "--port", str(free_port()), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "s3cret" not in done.stderr
    assert not (tmp_path / "never.db").exists()  # refused before touching anything


async def test_start_up_names_an_app_token_slack_refuses(db_url: str, tmp_path: Path) -> None:
    async with RunningFake(FakeSlack()) as fake:
        env = revans_env(
            DATABASE_URL=db_url,
            SLACK_BOT_TOKEN=fake.token,
            SLACK_APP_TOKEN="xapp-1-revoked-s3cret",
            SLACK_API_URL=f"{fake.url}api/",
        )
        port = str(free_port())
        serve = ("serve", "--socket-mode", "--host", "127.0.0.1", "--port", port)
        done = await asyncio.to_thread(run_revans, *serve, env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "SLACK_APP_TOKEN" in done.stderr and "invalid_auth" in done.stderr
    assert "s3cret" not in done.stderr and "Traceback" not in done.stderr
    (refused,) = fake.calls_to("apps.connections.open")
    assert refused.error == "invalid_auth"

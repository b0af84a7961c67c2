"""A whole set on Slack, end to end (issue 14's Done-when): the real `revans serve` against
the fake Web API with signed requests, over HTTP with two workspaces installed through
OAuth, and over the fake Socket Mode server.

Workspace A runs a set's whole life: create, three members join and agree, a challenge by
modal, a live round whose threaded questions are coached (a leading question draws a note
to its asker alone, an open one nothing), a commitment, its nudge after a sweep and the
nudge's Done button, the member's App Home, a command written to Revans directly. Then A
uninstalls: its token is gone and nothing more is sent with it, while workspace B (its
own set, the same user and channel ids) is still answered with B's token. Over the socket
(one workspace) the same life runs from create to the nudge's Done and the App Home.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.database import rows
from tests.e2e.nudge_sweep import pending_nudges, sweep_at
from tests.e2e.slack_client import (
    CHANNEL,
    FAC,
    SECRET,
    RevansServer,
    SlackSender,
    ephemerals_to,
    message,
)
from tests.e2e.slack_oauth import install, oauth_server, uninstall
from tests.e2e.slack_socket import SocketSender, socket_server
from tests.e2e.test_slack_coaching import NOTE
from tests.e2e.test_slack_direct_messages import direct
from tests.e2e.test_slack_home import all_done, buttons_of, home_opened
from tests.e2e.test_slack_nudges import press_body
from tests.e2e.test_slack_rounds import ANN, BEN, CHE, a_set_of_three, posted, round_message_ts
from tests.fakes.slack_socket_mode import FakeSocketMode, RunningSocketMode
from tests.fakes.slack_web_api import TEAM, FakeSlack, RunningFake
from tests.polling import eventually

ALPHA, BRAVO = TEAM, "T0BRAVO"
"""Workspace A is the fake's default team, whose id the recorded payload shapes carry."""
DM = f"D{ANN[1:]}"
Slack = tuple[FakeSlack, RevansServer, SlackSender]


@pytest.fixture
async def oauth(db_url: str, tmp_path: Path) -> AsyncIterator[Slack]:
    """`revans serve` with no bot token, installed through OAuth (SLACK_CLIENT_ID)."""
    async with oauth_server(db_url, tmp_path) as slack:
        yield slack


@pytest.fixture
async def socket(db_url: str, tmp_path: Path) -> AsyncIterator[Slack]:
    """`revans serve --socket-mode` connected to the fake Socket Mode server."""
    async with RunningSocketMode(FakeSocketMode()) as sockets, RunningFake(FakeSlack()) as fake:
        fake.socket_url = sockets.url
        server = socket_server(tmp_path, db_url, fake)
        async with server:
            await sockets.connected()
            yield fake, server, SocketSender(server, fake, sockets)
    assert_not_leaked(server.output(), "the server's logs")
    assert server.returncode == 0, server.output()[-3000:]


def sent_with(fake: FakeSlack, token: str, method: str) -> list[dict[str, Any]]:
    """The arguments of the calls to `method` Slack answered for `token`, in order."""
    return [c.args for c in fake.used_by(token) if c.method == method and c.ok]


def coached(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [e for e in ephemerals_to(fake, user) if NOTE in e["text"]]


async def challenge_by_modal(fake: FakeSlack, send: SlackSender, db_url: str) -> None:
    """`/set challenge` with no words opens a modal; its submission is stored, answered
    privately and shown to no one else."""
    assert (await send.command(FAC, "challenge", trigger="4242.1.challenge"))[0] == 200
    (view,) = await fake.wait_for(fake.views_opened, what="the challenge's modal")
    assert view["trigger_id"] == "4242.1.challenge" and view["callback_id"] == "challenge"
    assert await send.view_submission(FAC, view, {"text": f"Rota gaps {PLANTED}"}) == (200, "")
    (saved,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, FAC) if "challenge is saved" in e["text"]],
        what="the challenge saved",
    )
    assert saved["channel"] == CHANNEL
    assert await rows(db_url, "SELECT owner_id, kind, text FROM statement") == [
        (f"slack:{TEAM}:{FAC}", "challenge", f"Rota gaps {PLANTED}")
    ]
    assert not [c for c in fake.ok_calls("chat.postMessage") if "Rota gaps" in c.args["text"]]


async def a_coached_round(fake: FakeSlack, send: SlackSender, db_url: str) -> str:
    """A live round on Ann: in its thread an open question draws nothing and a leading
    one an ephemeral note to its asker alone, nothing in the channel. The round's ts."""
    assert (await send.command(FAC, f"round start <@{ANN}|ann> live 40m")) == (200, "")
    (card,) = await fake.wait_for(lambda: posted(fake, "Round: "), what="the round message")
    assert card["channel"] == CHANNEL and f"<@{ANN}> presents (live, 40 min)" in card["text"]
    ts = round_message_ts(fake)
    assert (await send.command(FAC, "round next"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "moved the round on from present"), what="questions")
    posts_before = len(fake.ok_calls("chat.postMessage"))
    che_before = len(ephemerals_to(fake, CHE))

    open_question = message(CHE, f"What matters most here? {PLANTED}", "1700000300.1", thread_ts=ts)
    assert (await send.event(open_question))[0] == 200
    leading = message(BEN, "Have you thought about a job share?", "1700000300.2", thread_ts=ts)
    assert (await send.event(leading))[0] == 200
    (note,) = await fake.wait_for(lambda: coached(fake, BEN), what="the coaching note")
    assert "a job share" in note["text"]
    assert (note["channel"], note["thread_ts"]) == (CHANNEL, ts)
    await all_done(db_url)
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
        lambda unsent: unsent == [(0,)],
        what="every reply to be sent",
    )
    assert len(ephemerals_to(fake, CHE)) == che_before, "the open question drew nothing"
    assert len(fake.ok_calls("chat.postMessage")) == posts_before, "nothing in the channel"
    assert await rows(db_url, "SELECT role, count(*) FROM round_message GROUP BY role") == [
        ("question", 2)
    ]
    return ts


async def ann_commits(fake: FakeSlack, send: SlackSender, db_url: str) -> None:
    """The round moves on to its commit phase; Ann commits to an action by a date."""
    for phase in ("questions", "reflect"):
        assert (await send.command(FAC, "round next"))[0] == 200
        moved = f"moved the round on from {phase}"
        await fake.wait_for(lambda m=moved: posted(fake, m), what=moved)
    assert await rows(db_url, "SELECT phase FROM learning_round") == [("commit",)]
    by = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert (await send.command(ANN, f"commit call the ward manager {PLANTED} by {by}"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "committed to action 1"), what="the commitment")
    assert await rows(db_url, "SELECT number, owner_id, status FROM action") == [
        (1, f"slack:{TEAM}:{ANN}", "open")
    ]


async def anns_home(fake: FakeSlack, send: SlackSender) -> dict[str, Any]:
    """Opening her Home tab publishes her set and her open action with its Done button."""
    before = len(fake.homes(ANN))
    assert await send.event(home_opened(ANN)) == (200, "")
    await fake.wait_for(lambda: len(fake.homes(ANN)) > before, what="ann's Home")
    home = fake.homes(ANN)[-1]
    text = json.dumps(home, ensure_ascii=False)
    assert f"Ward {PLANTED} — member" in text
    assert f"call the ward manager {PLANTED}" in text
    assert buttons_of(home)[0]["action_id"] == "nudge.done"
    return home


async def nudge_and_done(
    fake: FakeSlack,
    server: RevansServer,
    send: SlackSender,
    db_url: str,
    tmp_path: Path,
    token: str,
) -> None:
    """A sweep at the moment of Ann's first nudge sends it to her directly with buttons;
    Snooze and then Done update it in place; Done closes the action, tells the set and
    refreshes her Home (she has looked at it) without it. All with `token`."""
    homes_before = len(fake.homes(ANN))
    (_, due_at, user_id), *_ = await pending_nudges(db_url)
    assert user_id == f"slack:{TEAM}:{ANN}"
    # the sweep's own process only sends: in Socket Mode the gateway is enabled by the
    # socket's flag, which only `serve --socket-mode` sets, so a signing secret stands in
    env = {**server.env, "SLACK_SIGNING_SECRET": server.env["SLACK_SIGNING_SECRET"] or SECRET}
    report = await sweep_at(env, due_at, tmp_path)
    assert report.failed == 0 and report.delivered >= 1
    (nudge,) = [
        c for c in fake.used_by(token) if c.method == "chat.postMessage" and c.args["channel"] == DM
    ]
    assert f"call the ward manager {PLANTED}" in nudge.args["text"]
    done, snooze_day, *_ = buttons_of(nudge.args)
    assert (done["action_id"], snooze_day["action_id"]) == ("nudge.done", "nudge.snooze_day")
    ts = str(nudge.answer["ts"])

    def updates() -> list[dict[str, Any]]:
        return [u for u in sent_with(fake, token, "chat.update") if u["channel"] == DM]

    # Snooze a day: the nudge is updated in place and comes back later; the action stays open
    body = press_body(ANN, DM, ts, snooze_day, "9000.1.press")
    assert await send.post(body, "application/x-www-form-urlencoded") == (200, "")
    (snoozed,) = await fake.wait_for(updates, what="the nudge snoozed")
    assert (snoozed["channel"], snoozed["ts"]) == (DM, ts) and "Snoozed" in snoozed["text"]
    assert buttons_of(snoozed)[0]["action_id"] == "nudge.done"
    assert await rows(db_url, "SELECT number, status FROM action") == [(1, "open")]
    # her Home, which she has looked at, follows each press
    await fake.wait_for(lambda: len(fake.homes(ANN)) > homes_before, what="ann's Home again")
    homes = len(fake.homes(ANN))

    # Done: updated in place again, the action done, no nudge left
    body = press_body(ANN, DM, ts, done, "9001.1.press")
    assert await send.post(body, "application/x-www-form-urlencoded") == (200, "")
    await fake.wait_for(lambda: len(updates()) == 2, what="the nudge done")
    update = updates()[-1]
    assert (update["channel"], update["ts"]) == (DM, ts) and "Done — thank you" in update["text"]
    assert await rows(db_url, "SELECT number, status FROM action") == [(1, "done")]
    assert await pending_nudges(db_url) == []
    await fake.wait_for(lambda: posted(fake, "did action 1"), what="the notice in the set")
    await fake.wait_for(lambda: len(fake.homes(ANN)) == homes + 1, what="ann's Home again")
    after = json.dumps(fake.homes(ANN)[-1], ensure_ascii=False)
    assert f"Ward {PLANTED} — member" in after and "call the ward manager" not in after
    assert sent_with(fake, token, "views.publish")[-1]["view"] == fake.homes(ANN)[-1]


async def test_a_whole_set_in_one_of_two_workspaces_installed_through_oauth(
    oauth: Slack, db_url: str, tmp_path: Path
) -> None:
    fake, server, send = oauth
    token_a = await install(server, fake, ALPHA)
    token_b = await install(server, fake, BRAVO)
    assert token_a != token_b

    # create, join, agree: every answer in A goes with A's token
    await a_set_of_three(fake, send)
    chat = [c for c in fake.calls if c.method.startswith("chat.")]
    assert chat and {c.token for c in chat} == {token_a}

    # workspace B creates its own set, in the same channel id, by the same user id
    assert (await send.command(FAC, "create Bravo", team=BRAVO))[0] == 200
    await fake.wait_for(
        lambda: [m for m in sent_with(fake, token_b, "chat.postMessage") if "Bravo" in m["text"]],
        what="B's set, with B's token",
    )
    assert (await send.command(ANN, "join", team=BRAVO))[0] == 200
    await fake.wait_for(
        lambda: [e for e in sent_with(fake, token_b, "chat.postEphemeral") if e["user"] == ANN],
        what="ann's welcome in B, with B's token",
    )
    places = await rows(db_url, "SELECT place_id, created_by FROM learning_set")
    assert sorted(places) == [
        (f"slack:{BRAVO}:{CHANNEL}", f"slack:{BRAVO}:{FAC}"),
        (f"slack:{ALPHA}:{CHANNEL}", f"slack:{ALPHA}:{FAC}"),
    ]

    await challenge_by_modal(fake, send, db_url)
    await a_coached_round(fake, send, db_url)
    await ann_commits(fake, send, db_url)
    home = await anns_home(fake, send)
    assert sent_with(fake, token_a, "views.publish")[-1]["view"] == home
    assert "Bravo" not in json.dumps(home), "B's set, where ann is the same user id, is B's"

    await nudge_and_done(fake, server, send, db_url, tmp_path, token_a)

    # a command written to Revans directly, answered in the DM
    homes = len(fake.homes(ANN))
    words = f"log asking first changed everything {PLANTED}"
    assert (await send.event(direct(words, "1700000400.000100")))[0] == 200
    (kept,) = await fake.wait_for(
        lambda: [
            e for e in sent_with(fake, token_a, "chat.postEphemeral") if "learning log" in e["text"]
        ],
        what="the answer in the DM",
    )
    assert kept["channel"] == DM and kept["user"] == ANN
    await fake.wait_for(lambda: len(fake.homes(ANN)) == homes + 1, what="ann's Home after a DM")
    await all_done(db_url)
    assert {c.token for c in fake.calls_to("views.publish")} == {token_a}

    # A uninstalls: A's token goes; B keeps its own and is still answered with it
    await uninstall(send, db_url, ALPHA, left=[(BRAVO, token_b)])
    used_by_a = len(fake.used_by(token_a))
    assert (await send.command(FAC, "help", team=ALPHA))[0] == 200
    assert (await send.command(ANN, "agree", team=BRAVO))[0] == 200
    await fake.wait_for(
        lambda: [
            m
            for m in sent_with(fake, token_b, "chat.postMessage")
            if f"<@{ANN}> accepted the agreement" in m["text"]
        ],
        what="B still answered, with B's token",
    )
    await all_done(db_url)
    assert len(fake.used_by(token_a)) == used_by_a, "nothing sent with A's deleted token"
    assert all(c.token in (token_a, token_b, None) for c in fake.calls), "only installed tokens"
    assert not [c for c in fake.used_by(token_b) if PLANTED in json.dumps(c.args)], "A's content"


async def test_a_whole_set_over_socket_mode(socket: Slack, db_url: str, tmp_path: Path) -> None:
    fake, server, send = socket
    assert isinstance(send, SocketSender)
    await a_set_of_three(fake, send)
    await challenge_by_modal(fake, send, db_url)
    await a_coached_round(fake, send, db_url)
    await ann_commits(fake, send, db_url)
    await anns_home(fake, send)
    await nudge_and_done(fake, server, send, db_url, tmp_path, fake.token)
    kinds = {e.kind for e in send.sent}
    assert kinds == {"slash_commands", "interactive", "events_api"}
    for envelope in send.sent:  # each acknowledged exactly once
        assert len(send.socket.acks_of(envelope.envelope_id)) == 1

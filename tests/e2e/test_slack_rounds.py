"""A round on Slack, end to end: the real `revans serve` against the fake Slack Web API,
with signed slash commands and message events. The facilitator starts a round in the
channel; its message names the presenter; questions in its thread are counted for the
round (counts only); `round next` updates the round's message in place and posts a
notice; a member's `round start` is refused privately. Both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.database import rows, wait_rows
from tests.e2e.slack_client import (
    CHANNEL,
    FAC,
    MEMBERS,
    RevansServer,
    SlackSender,
    ephemerals_to,
    message,
)
from tests.fakes.slack_web_api import FakeSlack, RunningFake

ANN, BEN = MEMBERS[0], MEMBERS[1]


@pytest.fixture
async def slack(
    db_url: str, tmp_path: Path
) -> AsyncIterator[tuple[FakeSlack, RevansServer, SlackSender]]:
    async with RunningFake(FakeSlack()) as fake, RevansServer(tmp_path, db_url, fake) as server:
        yield fake, server, SlackSender(server, fake)
    assert_not_leaked(server.output(), "the server's logs")
    assert server.returncode == 0, server.output()[-3000:]


def posts(fake: FakeSlack, words: str) -> list[dict[str, object]]:
    return [
        {**c.args, "ts": (c.result or {}).get("ts")}
        for c in fake.ok_calls("chat.postMessage")
        if words in str(c.args.get("text"))
    ]


async def test_a_round_runs_in_the_channel_and_its_thread(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await send.command(FAC, f"create Ward {PLANTED}")
    await fake.wait_for(lambda: posts(fake, "made this place the set"), what="the set")
    for user in (ANN, BEN):
        await send.command(user, "join")
        await fake.wait_for(lambda u=user: ephemerals_to(fake, u), what="welcome")
        await send.command(user, "agree")
        await fake.wait_for(lambda u=user: len(ephemerals_to(fake, u)) == 2, what="agreed")

    assert (await send.command(BEN, f"round start <@{ANN}> live 40m"))[0] == 200
    (refusal,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, BEN) if "facilitator" in e["text"]],
        what="a member's round start refused",
    )
    assert "Only a facilitator" in refusal["text"]
    assert await rows(db_url, "SELECT id FROM learning_round") == []

    await send.command(FAC, f"round start <@{ANN}> live 40m")
    (round_post,) = await fake.wait_for(
        lambda: posts(fake, f"Round: <@{ANN}> presents"), what="the round's message"
    )
    assert round_post["channel"] == CHANNEL and round_post["ts"]
    round_ts = str(round_post["ts"])

    await send.command(FAC, "round next")
    (update,) = await fake.wait_for(lambda: fake.ok_calls("chat.update"), what="updated in place")
    assert update.args["ts"] == round_ts and update.args["channel"] == CHANNEL
    assert "[Questions]" in update.args["text"]
    await fake.wait_for(lambda: posts(fake, "moved the round on"), what="the notice")

    await send.event(
        message(BEN, f"What would {PLANTED} change?", "1800000000.000100", thread_ts=round_ts)
    )
    await send.event(
        message(ANN, "The night staff, mostly.", "1800000000.000200", thread_ts=round_ts)
    )
    counted = await wait_rows(
        db_url, "SELECT author_id, role, words FROM round_message ORDER BY posted_at", 2
    )
    assert {(a.split(":")[-1], r) for a, r, _ in counted} == {(BEN, "question"), (ANN, "answer")}
    assert all(w > 0 for _, _, w in counted)
    assert PLANTED not in str(await rows(db_url, "SELECT * FROM round_message"))

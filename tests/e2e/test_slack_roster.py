"""The real `revans serve` process against the fake Slack: signed slash commands in,
private answers out, thread messages into the core. Main scenario on both databases."""

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
from tests.fakes.slack_web_api import TEAM, FakeSlack, RunningFake
from tests.polling import eventually


@pytest.fixture
async def slack(
    db_url: str, tmp_path: Path
) -> AsyncIterator[tuple[FakeSlack, RevansServer, SlackSender]]:
    async with RunningFake(FakeSlack()) as fake, RevansServer(tmp_path, db_url, fake) as server:
        yield fake, server, SlackSender(server, fake)
    assert_not_leaked(server.output(), "the server's logs")
    assert "xoxb-fake-token" not in server.output()
    assert server.returncode == 0, server.output()[-3000:]


async def test_create_join_members_and_a_thread_message(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    status, body = await send.command(FAC, f"create Ward {PLANTED}")
    assert status == 200 and body == ""
    (announce,) = await fake.wait_for(lambda: fake.ok_calls("chat.postMessage"), what="announce")
    assert announce.args["channel"] == CHANNEL
    assert f"<@{FAC}> made this place the set “Ward {PLANTED}”" in announce.args["text"]
    assert announce.args["blocks"][0]["type"] == "section"

    for n, user in enumerate(MEMBERS, start=1):
        assert (await send.command(user, "join"))[0] == 200
        (welcome,) = await fake.wait_for(lambda u=user: ephemerals_to(fake, u), what="welcome")
        assert welcome["channel"] == CHANNEL
        assert f"You are member {n + 1} of the set" in welcome["text"]
        assert (await send.command(user, "agree"))[0] == 200
        await fake.wait_for(lambda u=user: len(ephemerals_to(fake, u)) == 2, what="agreed")
    await fake.wait_for(lambda: len(fake.ok_calls("chat.postMessage")) == 9, what="joined x4")
    joined = [c.args["text"] for c in fake.ok_calls("chat.postMessage")[1:]]
    assert joined == [
        line
        for u in MEMBERS
        for line in (f"<@{u}> joined the set.", f"<@{u}> accepted the agreement.")
    ]

    # The facilitator was told privately, while the set was small, why size matters.
    advice = await fake.wait_for(lambda: len(ephemerals_to(fake, FAC)) == 2, what="size advice")
    assert advice and all("4–8 people" in a["text"] for a in ephemerals_to(fake, FAC))
    assert (await send.command(FAC, "members"))[0] == 200
    await fake.wait_for(lambda: len(ephemerals_to(fake, FAC)) == 3, what="roster")
    roster = ephemerals_to(fake, FAC)[-1]
    assert roster["channel"] == CHANNEL and "has 5 people" in roster["text"]
    fields = roster["blocks"][0]["fields"]
    assert [f["text"].split("\n")[0] for f in fields] == ["*facilitator*"] + ["*member*"] * 4
    assert all(c.args["user"] in [FAC, *MEMBERS] for c in fake.ok_calls("chat.postEphemeral"))
    # Nothing private leaked into the channel: only the announcement, joins and agreements.
    assert len(fake.ok_calls("chat.postMessage")) == 9
    assert len(fake.calls_to("auth.test")) == 1, "the authorizer caches auth.test"

    # The thread hangs off a member's message, as a round's thread will.
    question = f"What would change if you asked <@{MEMBERS[1]}|ben>? {PLANTED}"
    await send.event(message(MEMBERS[0], "Round 1", "1700000100.000100"))
    await send.event(
        message(MEMBERS[2], question, "1700000100.000200", thread_ts="1700000100.000100")
    )
    found = await wait_rows(
        db_url, "SELECT author_id, text, thread_id FROM contribution ORDER BY message_id", 2
    )
    assert found[1] == (
        f"slack:{TEAM}:{MEMBERS[2]}",
        f"What would change if you asked <@slack:{TEAM}:{MEMBERS[1]}>? {PLANTED}",
        "1700000100.000100",
    )
    # Each delivery is marked done just after the core's transaction: wait for the last one.
    await eventually(
        lambda: rows(db_url, "SELECT key FROM inbound_event WHERE state <> 'done'"),
        lambda undone: not undone,
        what="every inbox row to be marked done",
    )
    inbox = await rows(db_url, "SELECT key, state FROM inbound_event")
    assert all(PLANTED not in key for key, _ in inbox)
    assert {state for _, state in inbox} == {"done"}


async def test_unknown_words_get_a_private_did_you_mean_with_the_command_prefix(
    slack: tuple[FakeSlack, RevansServer, SlackSender],
) -> None:
    fake, _, send = slack
    await send.command(FAC, "membres")
    (answer,) = await fake.wait_for(lambda: ephemerals_to(fake, FAC), what="did you mean")
    assert "Did you mean `members`?" in answer["text"]
    assert "Example: `/set members`" in answer["text"]
    assert not fake.ok_calls("chat.postMessage")

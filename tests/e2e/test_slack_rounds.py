"""A round on Slack, end to end: the real `revans serve` process against the fake Slack.

A facilitator starts a round with the slash command; the round's message is posted in
the channel naming the presenter; messages in its thread count for the round; `round
next` updates the message in place (`chat.update` with its ts) and posts a short notice;
a member's `round start` is refused privately and changes nothing.
"""

from __future__ import annotations

from tests.confidential import PLANTED
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
from tests.fakes.slack_web_api import TEAM, FakeSlack
from tests.polling import eventually

ANN, BEN, CHE = MEMBERS[:3]
ROUND_STATE = """
    SELECT (SELECT count(*) FROM learning_round),
           (SELECT count(*) FROM held_meeting),
           (SELECT count(*) FROM due_work WHERE kind <> 'retention.sweep'),
           (SELECT count(*) FROM message_ref)
"""
"""What a round start would change: the round, its meeting, its timers, its message's ref."""


def posted(fake: FakeSlack, words: str) -> list[dict[str, object]]:
    return [c.args for c in fake.ok_calls("chat.postMessage") if words in c.args["text"]]


async def a_set_of_three(fake: FakeSlack, send: SlackSender) -> None:
    """The facilitator creates the set; Ann, Ben and Che join and agree."""
    assert (await send.command(FAC, f"create Ward {PLANTED}"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "made this place the set"), what="the set")
    for user in (ANN, BEN, CHE):
        assert (await send.command(user, "join"))[0] == 200
        await fake.wait_for(lambda u=user: ephemerals_to(fake, u), what="welcome")
        assert (await send.command(user, "agree"))[0] == 200
        await fake.wait_for(lambda u=user: len(ephemerals_to(fake, u)) == 2, what="agreed")
    await fake.wait_for(lambda: len(posted(fake, "accepted the agreement")) == 3, what="agreed")


async def test_a_round_runs_in_the_channel_and_its_thread(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set_of_three(fake, send)

    assert (await send.command(FAC, f"round start <@{ANN}|ann> live 40m")) == (200, "")
    (card,) = await fake.wait_for(lambda: posted(fake, "Round: "), what="the round message")
    assert card["channel"] == CHANNEL
    assert f"Round: <@{ANN}> presents (live, 40 min)" in card["text"]
    ts = round_message_ts(fake)
    refs = await wait_rows(db_url, "SELECT key, place_id, ref FROM message_ref", 1)
    assert [(place, ref) for key, place, ref in refs if key.startswith("round:")] == [
        (f"slack:{TEAM}:{CHANNEL}", ts)
    ]

    # round next: the message is updated in place, and a short notice is posted.
    posts_before = len(fake.ok_calls("chat.postMessage"))
    assert (await send.command(FAC, "round next"))[0] == 200
    (update,) = await fake.wait_for(lambda: fake.ok_calls("chat.update"), what="chat.update")
    assert update.args["channel"] == CHANNEL and update.args["ts"] == ts
    assert "[Questions]" in update.args["text"] and "Round: " in update.args["text"]
    assert update.args["blocks"][0]["type"] == "section"
    notice = await fake.wait_for(
        lambda: posted(fake, "moved the round on from present"), what="the notice"
    )
    assert notice[0]["channel"] == CHANNEL and "thread_ts" not in notice[0]
    assert len(fake.ok_calls("chat.postMessage")) == posts_before + 1
    assert await rows(db_url, "SELECT phase FROM learning_round") == [("questions",)]

    # Questions in the round's thread count for the round; a top-level message does not.
    await send.event(
        message(BEN, f"What matters most here? {PLANTED}", "1700000200.000001", thread_ts=ts)
    )
    await send.event(
        message(CHE, f"What have you tried so far? {PLANTED}", "1700000200.000002", thread_ts=ts)
    )
    await send.event(
        message(ANN, f"Mostly talking to {PLANTED}", "1700000200.000003", thread_ts=ts)
    )
    await send.event(message(BEN, f"Off topic {PLANTED}", "1700000200.000004"))
    # Each delivery's inbox row is written before it is acknowledged: wait for all of them.
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
        lambda undone: undone == [(0,)],
        what="every inbox row to be marked done",
    )
    counted = await rows(
        db_url, "SELECT role, count(*) FROM round_message GROUP BY role ORDER BY role"
    )
    assert counted == [("answer", 1), ("question", 2)]
    in_the_round = (
        "SELECT count(*) FROM round_message WHERE round_id = (SELECT id FROM learning_round)"
    )
    assert await rows(db_url, in_the_round) == [(3,)]
    assert await rows(db_url, "SELECT count(*) FROM contribution WHERE thread_id = :ts", ts=ts) == [
        (3,)
    ]


async def test_a_members_round_start_is_refused_privately_and_changes_nothing(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set_of_three(fake, send)
    posts_before = len(fake.ok_calls("chat.postMessage"))
    before = await rows(db_url, ROUND_STATE)

    assert (await send.command(BEN, f"round start <@{ANN}|ann> live 40m"))[0] == 200
    refusal = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, BEN) if "Only a facilitator" in e["text"]],
        what="the refusal",
    )
    assert refusal[0]["channel"] == CHANNEL
    assert before == await rows(db_url, ROUND_STATE) == [(0, 0, 0, 0)]
    assert len(fake.ok_calls("chat.postMessage")) == posts_before
    assert not fake.calls_to("chat.update")


def round_message_ts(fake: FakeSlack) -> str:
    """The ts Slack answered when the round's message was posted."""
    call = next(c for c in fake.ok_calls("chat.postMessage") if "Round: " in c.args["text"])
    return str(call.answer["ts"])

"""The question coach in a Slack round, end to end against the real `revans serve` and the
fake Slack: a leading question in the round's thread draws an ephemeral note to its asker
alone and nothing in the channel; an open question draws nothing; a redelivered message
coaches once."""

from __future__ import annotations

from tests.e2e.database import rows
from tests.e2e.slack_client import RevansServer, SlackSender, ephemerals_to, message
from tests.e2e.test_slack_rounds import (
    ANN,
    BEN,
    CHE,
    FAC,
    a_set_of_three,
    posted,
    round_message_ts,
)
from tests.fakes.slack_web_api import FakeSlack
from tests.polling import eventually

NOTE = "A thought, just for you"


async def test_a_leading_question_draws_a_private_note_to_its_asker_only(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set_of_three(fake, send)
    assert (await send.command(FAC, f"round start <@{ANN}|ann> live 40m")) == (200, "")
    await fake.wait_for(lambda: posted(fake, "Round: "), what="the round message")
    ts = round_message_ts(fake)
    assert (await send.command(FAC, "round next"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "moved the round on"), what="questions phase")
    posts_before = len(fake.ok_calls("chat.postMessage"))
    che_before, ben_before = len(ephemerals_to(fake, CHE)), len(ephemerals_to(fake, BEN))

    await send.event(message(CHE, "What matters most to you here?", "1700000300.1", thread_ts=ts))
    leading = message(BEN, "Have you thought about a job share?", "1700000300.2", thread_ts=ts)
    assert (await send.event(leading, event_id="EvCoach1"))[0] == 200
    (note,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, BEN) if NOTE in e["text"]], what="the note"
    )
    assert "a job share" in note["text"] and note["channel"] == fake_channel(fake)
    assert note["thread_ts"] == ts  # shown in the round's thread
    # The same delivery again (Slack's retry), then the same message under a new event id.
    assert (await send.event(leading, event_id="EvCoach1", retry=1))[0] == 200
    assert (await send.event(leading, event_id="EvCoach2"))[0] == 200
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
        lambda undone: undone == [(0,)],
        what="every inbox row to be marked done",
    )
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
        lambda unsent: unsent == [(0,)],
        what="every reply to be sent",
    )
    assert [e for e in ephemerals_to(fake, BEN)[ben_before:] if NOTE in e["text"]] == [note]
    assert len(ephemerals_to(fake, CHE)) == che_before  # the open question drew nothing
    assert len(fake.ok_calls("chat.postMessage")) == posts_before  # nothing in the channel
    assert await rows(db_url, "SELECT count(*) FROM round_message") == [(2,)]


def fake_channel(fake: FakeSlack) -> str:
    return str(fake.ok_calls("chat.postMessage")[0].args["channel"])

"""Members write to Revans directly on Slack (`message.im`): a message whose first word
is a verb runs as that command, answered in the DM, through the same inbox as any
event; a delivery retried by Slack is handled once."""

from __future__ import annotations

from tests.confidential import PLANTED
from tests.e2e.database import rows
from tests.e2e.slack_client import MEMBERS, RevansServer, SlackSender, ephemerals_to, message
from tests.e2e.test_slack_rounds import a_set_of_three
from tests.fakes.slack_web_api import FakeSlack
from tests.polling import eventually

ANN = MEMBERS[0]
DM = f"D{ANN[1:]}"


def direct(text: str, ts: str) -> dict[str, object]:
    event = message(ANN, text, ts)
    event["channel"], event["channel_type"] = DM, "im"
    return event


async def test_a_command_written_in_a_direct_message_runs_there_once(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set_of_three(fake, send)
    words = f"log asking first changed everything {PLANTED}"
    assert (await send.event(direct(words, "1700000100.000100"), event_id="EvDM1"))[0] == 200
    (kept,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, ANN) if "learning log" in e["text"]],
        what="the answer in the DM",
    )
    assert kept["channel"] == DM
    # Slack retries the same delivery: acknowledged, not handled again
    again = await send.event(direct(words, "1700000100.000100"), event_id="EvDM1", retry=1)
    assert again[0] == 200
    assert (await send.event(direct("thanks!", "1700000101.000100")))[0] == 200
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
        lambda undone: undone == [(0,)],
        what="every inbox row to be marked done",
    )
    assert await rows(db_url, "SELECT text FROM learning_log_entry") == [
        (f"asking first changed everything {PLANTED}",)
    ]
    assert len([e for e in ephemerals_to(fake, ANN) if "learning log" in e["text"]]) == 1

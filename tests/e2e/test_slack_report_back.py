"""Report-back on Slack, end to end: the real `revans serve` against the fake Slack.

Ann commits an action; the facilitator opens a meeting; Ann gets a direct message with
done / partly / not done buttons for it. She presses Not done (a signed `block_actions`),
answers the modal, then says what held her back (a second button and modal). The message
is updated in place each time, her answers are stored as hers, nothing of them is posted
in the set's channel, and the facilitator's `report` shows only counts (hers, a group of
one, left out).
"""

from __future__ import annotations

import json
from typing import Any

from tests.confidential import PLANTED
from tests.e2e.database import rows
from tests.e2e.slack_client import CHANNEL, FAC, MEMBERS, RevansServer, SlackSender, ephemerals_to
from tests.e2e.test_slack_nudges import press_body
from tests.e2e.test_slack_rounds import a_set_of_three, posted
from tests.fakes.slack_web_api import TEAM, FakeSlack

ANN = MEMBERS[0]
FORM = "application/x-www-form-urlencoded"


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    (found,) = [b for b in buttons(blocks) if b["text"]["text"] == label]
    return found


async def test_report_back_by_buttons_and_modals_stays_private(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set_of_three(fake, send)
    assert (await send.command(ANN, f"commit call the ward manager {PLANTED}"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "committed to action 1"), what="the commitment")
    assert (await send.command(FAC, "meeting start"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "opened the meeting"), what="the meeting")
    dm = f"D{ANN[1:]}"
    (prompt,) = await fake.wait_for(
        lambda: [c for c in fake.ok_calls("chat.postMessage") if c.args["channel"] == dm],
        what="ann's report-back message",
    )
    assert f"Action 1: call the ward manager {PLANTED}" in prompt.args["text"]
    assert [b["text"]["text"] for b in buttons(prompt.args["blocks"])] == [
        "Done",
        "Partly",
        "Not done",
    ]
    ts = str(prompt.answer["ts"])

    # Not done: the button opens a modal; its answer is stored and the message updated
    body = press_body(ANN, dm, ts, button(prompt.args["blocks"], "Not done"), "9100.1.press")
    assert await send.post(body, FORM) == (200, "")
    (view,) = await fake.wait_for(fake.views_opened, what="the report-back modal")
    assert view["trigger_id"] == "9100.1.press"
    answer = {"happened": f"the audit came first {PLANTED}", "learned": "I say yes too fast"}
    assert (await send.view_submission(ANN, view, answer))[0] == 200
    (update,) = await fake.wait_for(lambda: fake.ok_calls("chat.update"), what="the update")
    assert (update.args["channel"], update.args["ts"]) == (dm, ts)
    assert "What held you back?" in json.dumps(update.args["blocks"])

    # what held her back: stored at once, and a modal for her own words
    held = press_body(ANN, dm, ts, button(update.args["blocks"], "Time"), "9101.1.press")
    assert await send.post(held, FORM) == (200, "")
    await fake.wait_for(lambda: len(fake.views_opened()) == 2, what="the words modal")
    words = fake.views_opened()[-1]
    assert (await send.view_submission(ANN, words, {"note": "a winter surge"}))[0] == 200
    await fake.wait_for(lambda: len(fake.ok_calls("chat.update")) >= 3, what="the updates")
    stored = await rows(
        db_url,
        "SELECT outcome, happened_text, learned_text, held_back, held_back_text, member_id"
        " FROM report_back",
    )
    assert stored == [
        (
            "not done",
            f"the audit came first {PLANTED}",
            "I say yes too fast",
            "time",
            "a winter surge",
            f"slack:{TEAM}:{ANN}",
        )
    ]
    assert await rows(db_url, "SELECT status FROM action") == [("open",)]
    in_channel = [c for c in fake.ok_calls("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert not [c for c in in_channel if "audit came first" in json.dumps(c.args)]

    # the facilitator sees counts only: one answer is a group under three
    assert (await send.command(FAC, "report"))[0] == 200
    (report,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, FAC) if "Follow-through" in json.dumps(e)],
        what="the report",
    )
    shown = json.dumps(report)
    assert "1 in groups under three" in shown and "time 1" not in shown
    assert "audit came first" not in shown and "winter surge" not in shown

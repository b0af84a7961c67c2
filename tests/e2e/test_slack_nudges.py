"""Nudges on Slack, end to end: the real `revans serve` against the fake Slack.

A member commits to an action by a date and lists it (`actions mine`: hers only); a sweep
at the simulated moment of its first nudge sends it as a direct message with buttons; the
member adds a progress note (a modal) and presses Done (a signed `block_actions`,
acknowledged at once): each time the message is updated in place (`chat.update` on its
ts), and the action is done. The same delivery again changes nothing; a fresh press on the
done action changes nothing either.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.confidential import PLANTED
from tests.e2e.database import rows
from tests.e2e.nudge_sweep import pending_nudges, sweep_at
from tests.e2e.slack_client import (
    CHANNEL,
    MEMBERS,
    RevansServer,
    SlackSender,
    button_press,
    ephemerals_to,
)
from tests.e2e.test_slack_rounds import a_set_of_three, posted
from tests.fakes.slack_web_api import TEAM, FakeSlack
from tests.polling import eventually

ANN, BEN = MEMBERS[:2]


def press_body(user: str, channel: str, ts: str, button: dict[str, Any], trigger: str) -> str:
    return button_press(
        user,
        button,
        trigger,
        response_url="https://hooks.slack.invalid/actions/1",
        container={"type": "message", "message_ts": ts, "channel_id": channel},
        channel={"id": channel, "name": "directmessage"},
        message={"ts": ts, "type": "message"},
    )


async def test_commit_list_nudge_and_done_by_button(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str, tmp_path: Path
) -> None:
    fake, server, send = slack
    await a_set_of_three(fake, send)
    by = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert (await send.command(ANN, f"commit call the ward manager {PLANTED} by {by}"))[0] == 200
    await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, ANN) if "Noted as your action 1" in e["text"]],
        what="the commitment",
    )
    assert (await send.command(ANN, "actions mine"))[0] == 200
    (mine,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, ANN) if "Your actions" in e["text"]],
        what="ann's actions",
    )
    assert f"call the ward manager {PLANTED}" in json.dumps(mine["blocks"])
    assert (await send.command(BEN, "actions mine"))[0] == 200
    (his,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, BEN) if "Your actions" in e["text"]],
        what="ben's actions",
    )
    assert "none yet" in his["text"] and PLANTED not in json.dumps(his)

    # a sweep at the simulated moment of the first nudge sends it as a DM with buttons
    (key, due_at, user_id), *_ = await pending_nudges(db_url)
    assert user_id == f"slack:{TEAM}:{ANN}" and PLANTED not in key
    report = await sweep_at(server.env, due_at, tmp_path)
    assert report.failed == 0 and report.delivered >= 1  # the nudge (and the retention sweep)
    dm = f"D{ANN[1:]}"
    (nudge,) = [c for c in fake.ok_calls("chat.postMessage") if c.args["channel"] == dm]
    assert f"Action 1 in “Ward {PLANTED}”: call the ward manager {PLANTED}" in nudge.args["text"]
    buttons = [e for b in nudge.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [
        "nudge.done",
        "nudge.snooze_day",
        "nudge.snooze_week",
        "nudge.note",
    ]
    ts = str(nudge.answer["ts"])

    # adding a progress note: the button opens a modal; its submission is noted and the
    # message updated in place
    note = press_body(ANN, dm, ts, buttons[3], "9000.1.press")
    assert await send.post(note, "application/x-www-form-urlencoded") == (200, "")
    (view,) = await fake.wait_for(fake.views_opened, what="the note's modal")
    assert view["trigger_id"] == "9000.1.press" and view["callback_id"].startswith("press|")
    assert json.loads(view["private_metadata"])["place"] == f"slack:{TEAM}:{dm}"
    submitted = await send.view_submission(ANN, view, {"text": f"met them {PLANTED}"})
    assert submitted[0] == 200
    (noted,) = await fake.wait_for(lambda: fake.ok_calls("chat.update"), what="the update")
    assert (noted.args["channel"], noted.args["ts"]) == (dm, ts)
    assert "progress notes: 1" in noted.args["text"].replace("*", "")
    assert await rows(db_url, "SELECT text FROM action_note") == [(f"met them {PLANTED}",)]

    # pressing Done: acknowledged at once, then the message is updated in place
    body = press_body(ANN, dm, ts, buttons[0], "9001.1.press")
    assert await send.post(body, "application/x-www-form-urlencoded") == (200, "")
    await fake.wait_for(lambda: len(fake.ok_calls("chat.update")) == 2, what="chat.update")
    update = fake.ok_calls("chat.update")[-1]
    assert (update.args["channel"], update.args["ts"]) == (dm, ts)
    assert "Done — thank you" in update.args["text"]
    assert not [b for b in update.args["blocks"] if b["type"] == "actions"]
    assert await rows(db_url, "SELECT number, status FROM action") == [(1, "done")]
    await fake.wait_for(lambda: posted(fake, "did action 1"), what="the notice in the set")
    assert all(c.args["channel"] == CHANNEL for c in [*fake.ok_calls("chat.postMessage")][-1:])
    assert await pending_nudges(db_url) == []

    # the same delivery again: a duplicate, acknowledged and not handled again
    closed = await rows(db_url, "SELECT closed_at FROM action")
    assert await send.post(body, "application/x-www-form-urlencoded") == (200, "")
    # a fresh press on the done action: nothing changes, the member is told why
    fresh = press_body(ANN, dm, ts, buttons[0], "9002.1.press")
    assert (await send.post(fresh, "application/x-www-form-urlencoded"))[0] == 200
    await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, ANN) if "already done" in e["text"]],
        what="already done",
    )
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
        lambda undone: undone == [(0,)],
        what="every inbox row to be marked done",
    )
    assert len(fake.ok_calls("chat.update")) == 3  # the fresh press re-shows the same state
    assert await rows(db_url, "SELECT closed_at FROM action") == closed
    assert len(posted(fake, "did action 1")) == 1

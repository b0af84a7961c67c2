"""The App Home on Slack, end to end: the real `revans serve` against the fake Slack.

A member of a set commits to an action; opening her App Home tab (a signed
`app_home_opened` event) publishes her Home (`views.publish`): the set and her role, her
action with its Done button, the set's next meeting in her own time (her Slack profile's
zone), never another member's action. Pressing Done on the Home (a `block_actions` from
the home view: no channel, no response_url) goes through the nudge's own press — the
action is done and the set hears it — and her Home is published again without it; so it
is after a command of hers. The same event delivered twice publishes once; the Messages
tab publishes nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.confidential import PLANTED
from tests.e2e.database import rows
from tests.e2e.slack_client import (
    MEMBERS,
    RevansServer,
    SlackSender,
    button_press,
    ephemerals_to,
    message,
)
from tests.e2e.test_slack_rounds import FAC, a_set_of_three, posted
from tests.fakes.slack_web_api import TEAM, FakeSlack
from tests.polling import eventually

ANN, BEN = MEMBERS[:2]
TOKYO = "Asia/Tokyo"


def home_opened(user: str, tab: str = "home") -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user[1:]}",
        "tab": tab,
        "event_ts": "1700000800.000100",
    }


def home_press(user: str, view: dict[str, Any], button: dict[str, Any], trigger: str) -> str:
    """A `block_actions` from a button on `user`'s home view, as Slack sends it."""
    return button_press(
        user,
        button,
        trigger,
        container={"type": "view", "view_id": view["id"]},
        view={**view, "state": {"values": {}}},
    )


def buttons_of(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def all_done(db_url: str) -> None:
    await eventually(
        lambda: rows(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
        lambda undone: undone == [(0,)],
        what="every inbox row to be marked done",
    )


async def test_the_home_shows_my_set_action_and_meeting_and_done_closes_it(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    fake.zones[ANN] = TOKYO
    await a_set_of_three(fake, send)
    meeting = (datetime.now(UTC) + timedelta(days=20)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    when = meeting.strftime("%Y-%m-%d %H:%M")
    assert (await send.command(FAC, f"schedule {when} UTC"))[0] == 200
    await fake.wait_for(lambda: ephemerals_to(fake, FAC)[1:], what="the meeting planned")
    by = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    assert (await send.command(ANN, f"commit call the ward manager {PLANTED} by {by}"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "committed to action 1"), what="ann's commitment")
    assert (await send.command(BEN, "commit ask for a budget"))[0] == 200
    await fake.wait_for(lambda: posted(fake, "committed to action 2"), what="both commitments")

    # opening the Home tab publishes her Home
    assert await send.event(home_opened(ANN), event_id="EvHOME1") == (200, "")
    (home,) = await fake.wait_for(lambda: fake.homes(ANN), what="ann's Home")
    text = json.dumps(home, ensure_ascii=False)
    assert f"Ward {PLANTED} — member" in text
    assert f"call the ward manager {PLANTED}" in text
    assert "ask for a budget" not in text  # ben's action is his
    assert "How a round works" in text and f"Your time zone: {TOKYO}" in text
    local = meeting.astimezone(ZoneInfo(TOKYO)).strftime("%a %d %b %Y %H:%M JST")
    assert f"<!date^{int(meeting.timestamp())}^{{date_short_pretty}} {{time}}|{local}>" in text
    done, *snoozes = buttons_of(home)
    assert (done["action_id"], [s["action_id"] for s in snoozes]) == (
        "nudge.done",
        ["nudge.snooze_day", "nudge.snooze_week"],
    )

    # the same event again (Slack's retry) publishes nothing more; the Messages tab neither
    assert await send.event(home_opened(ANN), event_id="EvHOME1", retry=1) == (200, "")
    assert await send.event(home_opened(ANN, tab="messages")) == (200, "")
    await all_done(db_url)
    assert len(fake.homes(ANN)) == 1

    # a change of hers elsewhere (a command in the set's channel) publishes her Home again
    assert (await send.command(ANN, "commit write up the rota"))[0] == 200
    await fake.wait_for(lambda: len(fake.homes(ANN)) == 2, what="ann's Home after commit")
    assert "write up the rota" in json.dumps(fake.homes(ANN)[-1])

    # Done, pressed on the Home: the action is done, the set hears it, the Home is republished
    published = fake.homes(ANN)[-1] | {"id": f"VH{ANN}"}
    body = home_press(ANN, published, done, "9101.1.home")
    assert await send.post(body, "application/x-www-form-urlencoded") == (200, "")
    await fake.wait_for(lambda: len(fake.homes(ANN)) == 3, what="ann's Home again")
    after = json.dumps(fake.homes(ANN)[-1], ensure_ascii=False)
    assert f"Ward {PLANTED} — member" in after and "call the ward manager" not in after
    assert "write up the rota" in after
    assert await rows(db_url, "SELECT owner_id, status FROM action ORDER BY number") == [
        (f"slack:{TEAM}:{ANN}", "done"),
        (f"slack:{TEAM}:{BEN}", "open"),
        (f"slack:{TEAM}:{ANN}", "open"),
    ]
    await fake.wait_for(lambda: posted(fake, "did action 1"), what="the notice in the set")
    assert not fake.ok_calls("chat.update")  # no nudge message to update

    # a stale Done on the Home: nothing changes; she is told why in her direct messages
    stale = home_press(ANN, published, done, "9102.1.home")
    assert await send.post(stale, "application/x-www-form-urlencoded") == (200, "")
    dm = f"D{ANN[1:]}"
    await fake.wait_for(
        lambda: [
            c
            for c in fake.ok_calls("chat.postMessage")
            if c.args["channel"] == dm and "already done" in c.args["text"]
        ],
        what="already done, in her DMs",
    )
    await fake.wait_for(lambda: len(fake.homes(ANN)) == 4, what="ann's Home once more")
    await all_done(db_url)
    assert len(posted(fake, "did action 1")) == 1


async def test_someone_in_no_set_gets_a_friendly_empty_home(
    slack: tuple[FakeSlack, RevansServer, SlackSender],
) -> None:
    fake, _, send = slack
    assert await send.event(home_opened(BEN)) == (200, "")
    (home,) = await fake.wait_for(lambda: fake.homes(BEN), what="ben's Home")
    text = json.dumps(home, ensure_ascii=False)
    assert "You are not in a set yet" in text and "`/set join`" in text
    assert not buttons_of(home)


async def test_a_command_written_to_revans_directly_refreshes_the_home(
    slack: tuple[FakeSlack, RevansServer, SlackSender],
) -> None:
    fake, _, send = slack
    assert await send.event(home_opened(ANN)) == (200, "")
    await fake.wait_for(lambda: fake.homes(ANN), what="ann's Home")
    words = message(ANN, "settings tz Europe/Paris", "1700000100.000100")
    words["channel"], words["channel_type"] = f"D{ANN[1:]}", "im"
    assert (await send.event(words))[0] == 200
    await fake.wait_for(lambda: len(fake.homes(ANN)) == 2, what="ann's Home again")
    assert "Your time zone: Europe/Paris" in json.dumps(fake.homes(ANN)[-1])


async def test_a_facilitators_change_refreshes_the_homes_of_the_members_who_opened_theirs(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    """A meeting scheduled by the facilitator reaches Ann's open Home at once; Ben, who
    never opened his, gets no Home published."""
    fake, _, send = slack
    await a_set_of_three(fake, send)
    assert await send.event(home_opened(ANN)) == (200, "")
    (before,) = await fake.wait_for(lambda: fake.homes(ANN), what="ann's Home")
    assert "None planned yet" in json.dumps(before)
    meeting = (datetime.now(UTC) + timedelta(days=20)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    assert (await send.command(FAC, f"schedule {meeting:%Y-%m-%d %H:%M} UTC"))[0] == 200
    await fake.wait_for(lambda: len(fake.homes(ANN)) == 2, what="ann's Home after the schedule")
    assert f"<!date^{int(meeting.timestamp())}^" in json.dumps(fake.homes(ANN)[-1])
    await all_done(db_url)
    assert fake.homes(BEN) == [] and len(fake.homes(ANN)) == 2

"""The real `revans serve` against the fake Slack: forms as modals, zones from profiles.

`/set challenge` with no words opens a modal with the command's trigger_id; the
signed `view_submission` stores the challenge and answers privately; a blank field
goes back to the modal as a field error. `members` shows each member's Slack
profile zone unless they chose one with `settings tz`; users.info is asked once per
user while its answer is fresh.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.database import rows
from tests.e2e.slack_client import CHANNEL, RevansServer, SlackSender, ephemerals_to
from tests.fakes.slack_web_api import TEAM, FakeSlack, RunningFake

FAC, ANN, BEN = "UFAY", "UANN", "UBEN"


@pytest.fixture
async def slack(
    db_url: str, tmp_path: Path
) -> AsyncIterator[tuple[FakeSlack, RevansServer, SlackSender]]:
    fake = FakeSlack(zones={FAC: "America/New_York", ANN: "Asia/Tokyo", BEN: "Europe/Berlin"})
    async with RunningFake(fake), RevansServer(tmp_path, db_url, fake) as server:
        yield fake, server, SlackSender(server, fake)
    assert_not_leaked(server.output(), "the server's logs")
    assert server.returncode == 0, server.output()[-3000:]


async def a_set(fake: FakeSlack, send: SlackSender) -> None:
    await send.command(FAC, "create Ward")
    await fake.wait_for(lambda: fake.ok_calls("chat.postMessage"), what="announce")


async def statements(db_url: str) -> list[Any]:
    return await rows(db_url, "SELECT owner_id, kind, revision, text FROM statement")


async def test_challenge_without_words_opens_a_modal_whose_submission_is_stored(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set(fake, send)
    trigger = "4242.1234.challenge"
    assert (await send.command(FAC, "challenge", trigger=trigger))[0] == 200
    (view,) = await fake.wait_for(fake.views_opened, what="views.open")
    assert view["trigger_id"] == trigger
    assert view["type"] == "modal" and view["callback_id"] == "challenge"
    assert json.loads(view["private_metadata"]) == {
        "place": f"slack:{TEAM}:{CHANNEL}",
        "kind": "channel",
    }
    (field,) = view["blocks"]
    assert field["type"] == "input" and field["element"]["action_id"] == "text"
    # The private hint says how to type it instead.
    (hint,) = await fake.wait_for(lambda: ephemerals_to(fake, FAC), what="form hint")
    assert "Fill in the form" in hint["text"]

    status, body = await send.view_submission(FAC, view, {"text": f"Rota gaps {PLANTED}"})
    assert (status, body) == (200, "")  # an empty 200 closes the modal
    saved = await fake.wait_for(lambda: len(ephemerals_to(fake, FAC)) == 2, what="saved")
    assert saved
    answer = ephemerals_to(fake, FAC)[-1]
    assert answer["channel"] == CHANNEL and "Your challenge is saved." in answer["text"]
    assert await statements(db_url) == [
        (f"slack:{TEAM}:{FAC}", "challenge", 1, f"Rota gaps {PLANTED}")
    ]
    assert not [c for c in fake.ok_calls("chat.postMessage") if PLANTED in c.args["text"]]


async def test_a_blank_field_is_sent_back_to_the_modal_and_nothing_is_stored(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set(fake, send)
    await send.command(FAC, "goal")
    (view,) = await fake.wait_for(fake.views_opened, what="views.open")
    assert view["callback_id"] == "goal"

    status, body = await send.view_submission(FAC, view, {"text": "   \n "})
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert "write something" in answer["errors"]["text"]
    # The modal stays open and can be submitted again (a fresh trigger_id, same view id).
    status, body = await send.view_submission(FAC, view, {"text": f"Listen more {PLANTED}"})
    assert (status, body) == (200, "")
    await fake.wait_for(lambda: len(ephemerals_to(fake, FAC)) == 2, what="saved")
    assert await statements(db_url) == [
        (f"slack:{TEAM}:{FAC}", "goal", 1, f"Listen more {PLANTED}")
    ]


async def test_a_submission_missing_its_field_gets_a_private_answer_and_stores_nothing(
    slack: tuple[FakeSlack, RevansServer, SlackSender], db_url: str
) -> None:
    fake, _, send = slack
    await a_set(fake, send)
    await send.command(FAC, "challenge")
    (view,) = await fake.wait_for(fake.views_opened, what="views.open")
    assert (await send.view_submission(FAC, view, {}))[0] == 200
    await fake.wait_for(lambda: len(ephemerals_to(fake, FAC)) == 2, what="answer")
    answer = ephemerals_to(fake, FAC)[-1]
    assert "The form was empty; nothing was changed." in answer["text"]
    assert "Example: `/set challenge" in answer["text"]
    assert await statements(db_url) == []


async def test_members_shows_slack_profile_zones_unless_a_member_chose_one(
    slack: tuple[FakeSlack, RevansServer, SlackSender],
) -> None:
    fake, _, send = slack
    await a_set(fake, send)
    for user in (ANN, BEN):
        await send.command(user, "join")
        await fake.wait_for(lambda u=user: ephemerals_to(fake, u), what="welcome")
    await send.command(BEN, "settings tz America/Sao_Paulo", channel="DUBEN")
    await fake.wait_for(lambda: len(ephemerals_to(fake, BEN)) == 2, what="settings saved")
    await send.command(FAC, "members")
    (roster,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, FAC) if "has 3 people" in e["text"]], what="roster"
    )
    zones = {
        f["text"].split("<@")[1].split(">")[0]: f["text"].rsplit("(", 1)[1].rstrip(")")
        for f in roster["blocks"][0]["fields"]
    }
    assert zones == {FAC: "America/New_York", ANN: "Asia/Tokyo", BEN: "America/Sao_Paulo"}
    # Five commands from three people, one users.info each: the answers are cached.
    asked = sorted(c.args["user"] for c in fake.ok_calls("users.info"))
    assert asked == [ANN, BEN, FAC]


async def test_a_failed_profile_lookup_does_not_stop_the_command(
    slack: tuple[FakeSlack, RevansServer, SlackSender],
) -> None:
    fake, server, send = slack
    fake.fail_next("users.info", "missing_scope")
    await send.command(FAC, "create Ward")
    (announce,) = await fake.wait_for(lambda: fake.ok_calls("chat.postMessage"), what="announce")
    assert "made this place the set" in announce.args["text"]
    await send.command(FAC, "members")
    (roster,) = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, FAC) if "has 1 person" in e["text"]], what="roster"
    )
    field = roster["blocks"][0]["fields"][0]["text"]
    assert field.endswith("(UTC)"), "no profile zone: the set's (the default)"
    assert len(fake.calls_to("users.info")) == 1, "a failure is remembered for a while too"
    assert "missing_scope" in await server.read_output()

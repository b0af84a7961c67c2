"""Nudges on Teams, end to end: the real `revans serve` (emulator mode) against the fake
Bot Connector.

A member commits to an action by a date and lists it (`actions mine`: hers only); a sweep
at the simulated moment of its first nudge sends it to her 1:1 as an Adaptive Card with
buttons; she adds a progress note (a card form in the 1:1) and presses Done (an
`Action.Submit`, which Teams posts as a message with a `value`): each time the card is
updated in place (PUT to its activity), and the action is done. The same activity
delivered again changes nothing; a fresh press on the done action changes nothing either.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env
from tests.e2e.nudge_sweep import pending_nudges, sweep_at
from tests.e2e.teams_server import Json, Person, activity, command, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    BEN,
    agree,
    create_set_with_members,
    in_channel,
    in_personal_chat,
    private_answer_arrived,
    query,
)
from tests.fakes.bot_connector import FakeConnector, Record
from tests.polling import eventually


def press(person: Person, chat: str, data: dict[str, Any], url: str) -> Json:
    """What Teams posts when a card's button is pressed: `value`, no text, in the 1:1."""
    body = activity(person, "", service_url=url, conversation=chat, kind="personal")
    body["value"] = data
    return body


def form_card(record: Record) -> dict[str, Any] | None:
    for attachment in record.body.get("attachments") or ():
        content = attachment.get("content") or {}
        if any(block.get("type") == "Input.Text" for block in content.get("body", ())):
            return dict(content)
    return None


def card_of(record: Record) -> dict[str, Any]:
    (attachment,) = record.body["attachments"]
    return dict(attachment["content"])


async def test_commit_list_nudge_and_done_by_button(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    env = revans_env(DATABASE_URL=db_url)
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        await agree(server, fake, AMARA)
        await agree(server, fake, BEN)
        by = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
        words = f"commit call the ward manager {PLANTED} by {by}"
        assert await server.post(command(AMARA, words, service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Noted as your action 1"))
        assert await server.post(command(AMARA, "actions mine", service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Your actions"))
        (mine,) = [r for r in in_personal_chat(fake, AMARA) if "Your actions" in r.text]
        assert f"call the ward manager {PLANTED}" in mine.text
        assert await server.post(command(BEN, "actions mine", service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, BEN, "none yet"))
        assert not any("call the ward manager" in r.text for r in in_personal_chat(fake, BEN))

        # a sweep at the simulated moment of the first nudge: a card in her 1:1
        (key, due_at, user_id), *_ = await pending_nudges(db_url)
        assert user_id == AMARA.user_id and PLANTED not in key
        report = await sweep_at(env, due_at, tmp_path)
        assert report.failed == 0 and report.delivered >= 1  # and the others' agreement reminders
        chat = fake.personal_chat_of(AMARA.member_id)
        assert chat is not None
        (nudge,) = [r for r in in_personal_chat(fake, AMARA) if "Action 1 in" in r.text]
        assert f"call the ward manager {PLANTED}" in nudge.text
        card = card_of(nudge)
        titles = [a["title"] for a in card["actions"]]
        assert titles == ["Done", "Snooze a day", "Snooze a week", "Add a progress note"]
        done = card["actions"][0]["data"]
        assert done["revans_action"] == "nudge.done"

        # adding a progress note: a card form in her 1:1; its submission is noted and the
        # nudge's card updated in place
        note = card["actions"][3]["data"]
        assert await server.post(press(AMARA, chat, note, url)) == 200
        await fake.wait_for(lambda _: any(form_card(r) for r in in_personal_chat(fake, AMARA)))
        form = next(c for r in in_personal_chat(fake, AMARA) if (c := form_card(r)))
        (submit,) = form["actions"]
        answer = {**submit["data"], "text": f"met them {PLANTED}"}
        assert await server.post(press(AMARA, chat, answer, url)) == 200
        await fake.wait_for(lambda records: any(r.method == "PUT" for r in records))
        (noted,) = [r for r in fake.records if r.method == "PUT"]
        assert (noted.conversation_id, noted.activity_id) == (chat, nudge.answered_id)
        assert "progress notes: 1" in noted.text
        assert await query(db_url, "SELECT text FROM action_note") == [(f"met them {PLANTED}",)]

        # pressing Done: the card is updated in place and the action is done
        pressed = press(AMARA, chat, done, url)
        assert await server.post(pressed) == 200
        await fake.wait_for(lambda records: sum(r.method == "PUT" for r in records) == 2)
        update = [r for r in fake.records if r.method == "PUT"][-1]
        assert (update.conversation_id, update.activity_id) == (chat, nudge.answered_id)
        assert "Done — thank you" in update.text and "actions" not in card_of(update)
        assert await query(db_url, "SELECT number, status FROM action") == [(1, "done")]
        await fake.wait_for(lambda _: in_channel(fake, "did action 1") == 1)
        assert await pending_nudges(db_url) == []
        closed = await query(db_url, "SELECT closed_at FROM action")

        # the same activity again: recognised, not handled again
        assert await server.post(pressed) == 200
        # a fresh press on the done action: nothing changes, she is told why
        assert await server.post(press(AMARA, chat, done, url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "already done"))
        await eventually(
            lambda: query(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
            lambda undone: undone == [(0,)],
            what="every inbox row to be marked done",
        )
        assert len([r for r in fake.records if r.method == "PUT"]) == 3
        assert await query(db_url, "SELECT closed_at FROM action") == closed
        assert in_channel(fake, "did action 1") == 1
        logs = server.logs()
    assert_not_leaked(logs, "the Teams server's logs")

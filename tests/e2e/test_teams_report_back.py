"""Report-back on Teams, end to end: the real `revans serve` (emulator mode) against the
fake Bot Connector.

Amara commits an action; Farah opens a meeting; Amara's 1:1 gets a card with done /
partly / not done. She presses Partly (an `Action.Submit`), fills the card form that comes
to her 1:1, and the card is updated in place with her answer; nothing of it reaches the
channel. The facilitator's `report` shows counts only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.teams_server import CHANNEL, command, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    FARAH,
    agree,
    create_set_with_members,
    in_channel,
    in_personal_chat,
    private_answer_arrived,
    query,
)
from tests.e2e.test_teams_nudges import form_card, press
from tests.fakes.bot_connector import FakeConnector, Record


def submits(node: Any) -> Iterator[dict[str, Any]]:
    """Every Action.Submit in a card, wherever the renderer put it."""
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit":
            yield node
        for value in node.values():
            yield from submits(value)
    elif isinstance(node, list):
        for value in node:
            yield from submits(value)


def titled(record: Record, title: str) -> dict[str, Any]:
    (found,) = [a for a in submits(record.body.get("attachments")) if a.get("title") == title]
    return dict(found["data"])


async def test_report_back_by_card_stays_private(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        await agree(server, fake, AMARA)
        words = f"commit call the ward manager {PLANTED}"
        assert await server.post(command(AMARA, words, service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Noted as your action 1"))
        assert await server.post(command(FARAH, "meeting start", service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Check-in in"))
        (prompt,) = [r for r in in_personal_chat(fake, AMARA) if "Check-in in" in r.text]
        assert f"Action 1: call the ward manager {PLANTED}" in prompt.text
        chat = fake.personal_chat_of(AMARA.member_id)
        assert chat is not None

        partly = titled(prompt, "Partly")
        assert partly["revans_action"] == "report.outcome"
        assert await server.post(press(AMARA, chat, partly, url)) == 200
        await fake.wait_for(lambda _: any(form_card(r) for r in in_personal_chat(fake, AMARA)))
        form = next(c for r in in_personal_chat(fake, AMARA) if (c := form_card(r)))
        (submit,) = form["actions"]
        answer = {**submit["data"], "happened": f"met the lead {PLANTED}", "learned": "ask early"}
        assert await server.post(press(AMARA, chat, answer, url)) == 200
        await fake.wait_for(lambda records: any(r.method == "PUT" for r in records))
        (update,) = [r for r in fake.records if r.method == "PUT"]
        assert (update.conversation_id, update.activity_id) == (chat, prompt.answered_id)
        assert "your answer: Partly" in update.text.replace("*", "")
        stored = await query(db_url, "SELECT outcome, happened_text, learned_text FROM report_back")
        assert stored == [("partly", f"met the lead {PLANTED}", "ask early")]
        assert await query(db_url, "SELECT status FROM action") == [("open",)]
        assert not [r for r in fake.sent_to(CHANNEL) if "met the lead" in r.text]

        assert await server.post(command(FARAH, "report", service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, FARAH, "Follow-through"))
        (shown,) = [r for r in in_personal_chat(fake, FARAH) if "Follow-through" in r.text]
        assert "1 in groups under three" in shown.text and "met the lead" not in shown.text
        assert in_channel(fake, "opened the meeting") == 1
        logs = server.logs()
    assert_not_leaked(logs, "the Teams server's logs")

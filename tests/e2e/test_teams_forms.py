"""Forms in Teams end to end: `challenge` without text opens an Adaptive Card in the
member's 1:1; submitting it runs the form in the set it was opened for, answered
privately. The card's place is a claim: the core authorises the submitter there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.teams_server import CHANNEL, Person, activity, command, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    EMIL,
    agree,
    create_set_with_members,
    in_personal_chat,
    private_answer_arrived,
    query,
)
from tests.fakes.bot_connector import FakeConnector, Record

STATEMENTS = "SELECT owner_id, kind, revision, text FROM statement ORDER BY revision"


def form_card(record: Record) -> dict[str, Any] | None:
    for attachment in record.body.get("attachments") or ():
        content = attachment.get("content") or {}
        if any(block.get("type") == "Input.Text" for block in content.get("body", ())):
            return dict(content)
    return None


def submit(person: Person, chat: str, data: dict[str, Any], url: str) -> dict[str, Any]:
    """What Teams posts when the card's button is pressed: `value`, no text, in the 1:1."""
    body = activity(person, "", service_url=url, conversation=chat, kind="personal")
    body["value"] = data
    return body


async def test_a_challenge_form_opens_in_the_1to1_and_its_submit_is_stored(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        await agree(server, fake, AMARA)
        channel_before = len(fake.sent_to(CHANNEL))
        assert await server.post(command(AMARA, "challenge", service_url=url)) == 200
        await fake.wait_for(lambda _: any(form_card(r) for r in in_personal_chat(fake, AMARA)))
        chat = fake.personal_chat_of(AMARA.member_id)
        assert chat is not None
        card = next(c for r in in_personal_chat(fake, AMARA) if (c := form_card(r)))
        (field,) = [b for b in card["body"] if b["type"] == "Input.Text"]
        assert field["id"] == "text" and field["isMultiline"] is True
        (action,) = card["actions"]
        assert action["type"] == "Action.Submit"
        data = action["data"]
        assert data == {"revans_form": "challenge", "revans_place": f"teams:{CHANNEL}"}

        # an empty field: a clear private answer, nothing stored
        assert await server.post(submit(AMARA, chat, {**data, "text": "  "}, url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "The form was empty"))
        assert await query(db_url, STATEMENTS) == []

        challenge = f"Shorter waits on {PLANTED} ward"
        assert await server.post(submit(AMARA, chat, {**data, "text": challenge}, url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "challenge is saved"))
        assert await query(db_url, STATEMENTS) == [(AMARA.user_id, "challenge", 1, challenge)]
        logs = server.logs()
    empty = next(r for r in in_personal_chat(fake, AMARA) if "The form was empty" in r.text)
    assert "@Revans challenge" in empty.text  # the example is the set's, typed in its channel
    assert len(fake.sent_to(CHANNEL)) == channel_before, "forms are private"
    assert_not_leaked(logs, "the Teams server's logs")


async def test_a_copied_or_forged_form_is_authorised_like_the_typed_command(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    data = {"revans_form": "goal", "revans_place": f"teams:{CHANNEL}", "text": PLANTED}
    emil_chat = "a:emil-personal"
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        channel_before = len(fake.sent_to(CHANNEL))
        # Emil is no member: a card's data pointing at the set gains him nothing
        assert await server.post(submit(EMIL, emil_chat, data, url)) == 200
        await fake.wait_for(
            lambda _: any("Only members" in r.text for r in fake.sent_to(emil_chat))
        )
        # a place we hold no conversation for (or none at all) is refused before the core
        for place in ("teams:19:elsewhere@thread.tacv2", None):
            forged = {**data, "revans_place": place} if place else {"revans_form": "goal"}
            assert await server.post(submit(AMARA, "a:amara-personal", forged, url)) == 200
        await fake.wait_for(
            lambda _: (
                sum("which set that form" in r.text for r in fake.sent_to("a:amara-personal")) == 2
            )
        )
        logs = server.logs()
    assert await query(db_url, STATEMENTS) == []
    assert len(fake.sent_to(CHANNEL)) == channel_before
    assert_not_leaked(logs, "the Teams server's logs")

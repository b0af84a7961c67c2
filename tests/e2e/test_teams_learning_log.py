"""The learning log on Teams, end to end: the real `revans serve` against the fake Bot
Connector. `log export` goes through file consent in the member's 1:1 chat: a consent
card, then on Allow (a `fileConsent/invoke`) the Markdown is PUT to the upload URL Teams
gave and a file info card shows it; Decline sends and uploads nothing; an answer from
someone else for the file is ignored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.teams_server import CHANNEL, Json, Person, activity, command, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    BEN,
    agree,
    create_set_with_members,
    in_personal_chat,
    private_answer_arrived,
    query,
)
from tests.fakes.bot_connector import FakeConnector
from tests.polling import eventually

FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
PENDING = "SELECT user_id, filename FROM teams_pending_file"


def consent_answer(
    person: Person, chat: str, card: Json, action: str, url: str, upload: Json | None = None
) -> Json:
    """What Teams posts when the consent card's Allow or Decline is pressed."""
    body = activity(person, "", service_url=url, conversation=chat, kind="personal")
    body["type"] = "invoke"
    body["name"] = "fileConsent/invoke"
    context_key = "acceptContext" if action == "accept" else "declineContext"
    value: dict[str, Any] = {
        "type": "fileUpload",
        "action": action,
        "context": card["content"][context_key],
    }
    if upload is not None:
        value["uploadInfo"] = upload
    body["value"] = value
    return body


def file_infos(fake: FakeConnector, person: Person) -> list[Json]:
    return [
        a
        for r in in_personal_chat(fake, person)
        for a in r.body.get("attachments") or ()
        if a.get("contentType") == FILE_INFO
    ]


async def test_log_export_goes_through_file_consent_in_the_1to1(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        await agree(server, fake, AMARA)
        channel_before = len(fake.sent_to(CHANNEL))
        entry = f"log I rushed in {PLANTED}"
        assert await server.post(command(AMARA, entry, service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Kept in your learning"))

        assert await server.post(command(AMARA, "log export", service_url=url)) == 200
        chat = fake.personal_chat_of(AMARA.member_id)
        assert chat is not None
        await fake.wait_for(lambda _: len(fake.consent_cards(chat)) == 1)
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Only you have been"))
        (card,) = fake.consent_cards(chat)
        filename = card["name"]
        assert filename.startswith("learning-log-") and filename.endswith(".md")
        assert card["content"]["sizeInBytes"] > 0
        assert await query(db_url, PENDING) == [(AMARA.user_id, filename)]

        # Ben cannot take Amara's file by answering for it
        upload = {
            "name": filename,
            "uploadUrl": fake.upload_url("amara.md"),
            "contentUrl": "https://contoso.sharepoint.example/amara.md",
            "uniqueId": "unique-1",
            "fileType": "md",
        }
        ben_chat = "a:ben-personal"
        stolen = {**upload, "uploadUrl": fake.upload_url("ben.md")}
        forged = consent_answer(BEN, ben_chat, card, "accept", url, stolen)
        assert await server.post(forged) == 200
        await eventually(server.logs, lambda logs: "was ignored" in logs, what="refused")

        allowed = consent_answer(AMARA, chat, card, "accept", url, upload)
        assert await server.post(allowed) == 200
        await fake.wait_for(lambda _: len(file_infos(fake, AMARA)) == 1)
        markdown = fake.uploaded["amara.md"].decode()
        assert markdown.startswith("# Learning log") and f"> I rushed in {PLANTED}" in markdown
        assert len(markdown.encode()) == card["content"]["sizeInBytes"]
        (info,) = file_infos(fake, AMARA)
        assert info["contentUrl"] == upload["contentUrl"] and info["name"] == filename
        assert info["content"] == {"uniqueId": "unique-1", "fileType": "md"}
        assert await query(db_url, PENDING) == []
        assert fake.sent_to(ben_chat) == []

        # a second export, declined: nothing uploaded, nothing shown, nothing kept
        assert await server.post(command(AMARA, "log export", service_url=url)) == 200
        await fake.wait_for(lambda _: len(fake.consent_cards(chat)) == 2)
        declined = consent_answer(AMARA, chat, fake.consent_cards(chat)[1], "decline", url)
        assert await server.post(declined) == 200
        await eventually(lambda: query(db_url, PENDING), lambda rows: rows == [], what="forgotten")
        logs = server.logs()
    assert list(fake.uploaded) == ["amara.md"] and len(file_infos(fake, AMARA)) == 1
    assert len(fake.sent_to(CHANNEL)) == channel_before, "the log is never said in the channel"
    assert_not_leaked(logs, "the Teams server's logs")

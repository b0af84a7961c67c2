"""Revans added to a team, a group chat or a person's 1:1 says one short welcome there,
end to end: the real `revans serve` process (emulator mode) against the fake Bot Connector.

Teams announces one installation twice — a `conversationUpdate` whose `membersAdded`
holds the bot and an `installationUpdate` with action `add`, with different activity ids
— and may redeliver either; the place's `welcome:` inbox key lets only the first through,
so the welcome is queued once (one outbox row) and posted once.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.teams_server import BOT, CHANNEL, Json, Person, activity, revans_serve
from tests.e2e.teams_steps import BEN, FARAH, query
from tests.fakes.bot_connector import FakeConnector, Record

GROUP_CHAT = "19:ward-chat@thread.v2"
BEN_CHAT = "a:ben-personal"
WELCOMES = "SELECT count(*) FROM outbox WHERE origin LIKE '%welcome:%'"


def added(sender: Person, url: str, conversation: str, kind: str, *members: Json) -> Json:
    """A conversation update: `members` (the bot, unless named) added."""
    body = activity(
        sender, "", service_url=url, conversation=conversation, kind=kind,
        activity_type="conversationUpdate",
        event_type="teamMemberAdded" if kind == "channel" else None,
    )  # fmt: skip
    del body["text"]
    body["membersAdded"] = list(members) or [{"id": BOT["id"]}]
    return body


def installed(sender: Person, url: str, conversation: str, kind: str) -> Json:
    body = activity(
        sender, "", service_url=url, conversation=conversation, kind=kind,
        activity_type="installationUpdate",
    )  # fmt: skip
    del body["text"]
    body["action"] = "add"
    return body


def welcomes(fake: FakeConnector, conversation: str) -> list[Record]:
    return [r for r in fake.sent_to(conversation) if "Hello, I'm Revans" in r.text]


async def test_one_welcome_in_a_team_a_group_chat_and_a_personal_chat(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    team_update = added(FARAH, url, CHANNEL, "channel")
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        # A team: both announcements, and the first one redelivered.
        for body in (team_update, installed(FARAH, url, CHANNEL, "channel"), team_update):
            assert await server.post(body) == 200
        # A group chat: installation first, then the conversation update.
        assert await server.post(installed(FARAH, url, GROUP_CHAT, "groupChat")) == 200
        assert await server.post(added(FARAH, url, GROUP_CHAT, "groupChat")) == 200
        # A person's 1:1 (personal scope): the conversation update only.
        assert await server.post(added(BEN, url, BEN_CHAT, "personal")) == 200
        # Someone else joining a team is no installation: no welcome, no inbox row.
        assert await server.post(added(FARAH, url, CHANNEL, "channel", BEN.account)) == 200

        # Every turn ran before its request was answered: three welcomes were queued.
        assert await query(db_url, WELCOMES) == [(3,)]
        await fake.wait_for(
            lambda _: all(welcomes(fake, c) for c in (CHANNEL, GROUP_CHAT, BEN_CHAT))
        )
        assert "Traceback" not in server.logs()

    for conversation in (CHANNEL, GROUP_CHAT):
        (welcome,) = welcomes(fake, conversation)
        assert welcome.method == "POST"
        assert welcome.path == f"/v3/conversations/{conversation}/activities"
        assert "@Revans create Ward leaders" in welcome.text and "@Revans help" in welcome.text
        assert "action learning sets" in welcome.text
        assert len(fake.sent_to(conversation)) == 1  # nothing else was said there
    (personal,) = welcomes(fake, BEN_CHAT)
    assert "type help" in personal.text.replace("`", "")
    assert "create Ward leaders" in personal.text
    keys = await query(
        db_url, "SELECT key FROM inbound_event WHERE key LIKE 'welcome:%' ORDER BY key"
    )
    assert keys == [
        (f"welcome:teams:{conversation}",)
        for conversation in sorted((CHANNEL, GROUP_CHAT, BEN_CHAT))
    ]

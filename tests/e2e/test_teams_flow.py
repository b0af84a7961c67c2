"""Teams end to end: the real `revans serve` process (emulator mode) against the local
fake Bot Connector. Private answers must land in each user's 1:1 chat, public ones in
the channel, and reply-chain messages must reach the core as contributions."""

from __future__ import annotations

from pathlib import Path

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.teams_server import CHANNEL, Person, activity, command, mention, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    BEN,
    CHEN,
    DANA,
    EMIL,
    FARAH,
    agree,
    create_set_with_members,
    in_channel,
    in_personal_chat,
    private_answer_arrived,
    query,
)
from tests.fakes.bot_connector import FakeConnector


async def test_a_set_is_created_joined_and_listed_in_a_channel(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        assert await server.post(command(FARAH, "members", service_url=fake.url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, FARAH, "has 5 people"))
        logs = server.logs()
    assert "revans stopped" in server.logs()  # SIGTERM: a clean shutdown, tasks awaited

    announcement = next(r for r in fake.sent_to(CHANNEL) if "made this place" in r.text)
    assert announcement.body["entities"] == [
        mention(FARAH) | {"mentioned": {"id": FARAH.aad, "name": "Farah"}}
    ]
    assert f"“Ward {PLANTED}”" in announcement.text
    joined = [r for r in fake.sent_to(CHANNEL) if "joined the set" in r.text]
    assert {r.body["entities"][0]["mentioned"]["id"] for r in joined} == {
        p.aad for p in (AMARA, BEN, CHEN, DANA)
    }
    # each private answer went to that person's own 1:1, created once with their Teams id
    creations = [r for r in fake.records if r.path == "/v3/conversations"]
    assert sorted(r.body["members"][0]["id"] for r in creations) == sorted(
        p.member_id for p in (AMARA, BEN, CHEN, DANA, FARAH)
    )
    assert all(r.body["channelData"]["tenant"]["id"] == "tenant-0001" for r in creations)
    assert not any("Welcome" in r.text for r in fake.sent_to(CHANNEL))
    roster = next(r for r in in_personal_chat(fake, FARAH) if "has 5 people" in r.text)
    card = roster.body["attachments"][0]["content"]
    assert card["version"] == "1.5"
    assert {e["mentioned"]["id"] for e in card["msteams"]["entities"]} == {
        p.aad for p in (FARAH, AMARA, BEN, CHEN, DANA)
    }
    rows = await query(db_url, "SELECT user_id, role FROM membership ORDER BY joined_at")
    assert rows[0] == (FARAH.user_id, "facilitator") and len(rows) == 5
    assert "emulator mode" in logs
    assert_not_leaked(logs, "the Teams server's logs")


async def test_a_members_facilitator_only_command_is_answered_only_in_their_1to1(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    forbidden = [
        command(AMARA, words, service_url=url)
        for words in (
            "schedule every 2 weeks on Tuesday at 14:00",
            f"agreement We keep {PLANTED} to ourselves",
            "options format shared",
        )
    ]
    add_emil = "<at>Revans</at> add <at>Emil</at>"
    entities = [mention(), mention(EMIL)]
    forbidden.append(activity(AMARA, add_emil, service_url=url, entities=entities))
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        await agree(server, fake, AMARA)  # a full member, not a facilitator
        channel_before = len(fake.sent_to(CHANNEL))
        stored_before = await query(db_url, SET_STATE)
        for body in forbidden:
            assert await server.post(body) == 200
        await fake.wait_for(
            lambda _: (
                sum("Only a facilitator" in r.text for r in in_personal_chat(fake, AMARA))
                == len(forbidden)
            )
        )
        assert await query(db_url, SET_STATE) == stored_before == [(5, 0, 0)]
        # a near miss of a verb still reads as a command: "did you mean"
        assert await server.post(command(EMIL, "memebrs", service_url=fake.url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, EMIL, "Did you mean `members`"))
        # Farah's own command goes after Amara's: the channel's next message is hers
        plan = command(FARAH, "schedule 2027-03-04 10:00", service_url=fake.url)
        assert await server.post(plan) == 200
        await fake.wait_for(lambda _: in_channel(fake, "planned a meeting") == 1)
        logs = server.logs()
    answer = next(r for r in in_personal_chat(fake, AMARA) if "Only a facilitator" in r.text)
    assert "@Revans members" in answer.text  # the example uses the Teams command prefix
    channel_after = fake.sent_to(CHANNEL)[channel_before:]
    assert [("planned a meeting" in r.text) for r in channel_after] == [True]
    assert not any("Only a facilitator" in r.text for r in fake.sent_to(CHANNEL))
    assert await query(db_url, "SELECT count(*) FROM meeting") == [(1,)]  # Farah's only
    assert_not_leaked(logs, "the Teams server's logs")


SET_STATE = """
    SELECT (SELECT count(*) FROM membership),
           (SELECT count(*) FROM set_options WHERE agreement IS NOT NULL OR format <> 'own'),
           (SELECT count(*) FROM meeting)
"""
"""What the forbidden commands would change: roster, agreement and options, meetings."""


async def test_reply_chain_messages_reach_the_core_and_follow_edits_and_deletes(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    root = "1700000000999"
    chain = f"{CHANNEL};messageid={root}"
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        question = activity(
            AMARA, f"What would {PLANTED} look like?", service_url=fake.url, conversation=chain
        )
        mentioned = activity(
            BEN,
            f"<at>Revans</at> what did <at>Amara</at> notice {PLANTED}?",
            service_url=fake.url,
            conversation=chain,
            # Teams often omits aadObjectId in mention entities: we know Amara's Teams id
            entities=[
                mention(),
                {**mention(AMARA), "mentioned": {"id": AMARA.member_id, "name": "Amara"}},
            ],
        )
        outsider = activity(EMIL, "not a member", service_url=fake.url, conversation=chain)
        for body in (question, mentioned, outsider):
            assert await server.post(body) == 200
        rows = await query(
            db_url, "SELECT message_id, author_id, text, thread_id, place_id FROM contribution"
        )
        assert sorted(rows) == sorted(
            [
                (
                    question["id"],
                    AMARA.user_id,
                    f"What would {PLANTED} look like?",
                    root,
                    f"teams:{CHANNEL}",
                ),
                (
                    mentioned["id"],
                    BEN.user_id,
                    f"what did <@{AMARA.user_id}> notice {PLANTED}?",
                    root,
                    f"teams:{CHANNEL}",
                ),
            ]
        )
        edit = activity(
            AMARA,
            "What would success look like?",
            service_url=fake.url,
            conversation=chain,
            activity_type="messageUpdate",
            activity_id=question["id"],
            event_type="editMessage",
        )
        delete = activity(
            BEN,
            "",
            service_url=fake.url,
            conversation=chain,
            activity_type="messageDelete",
            activity_id=mentioned["id"],
            event_type="softDeleteMessage",
        )
        assert await server.post(edit) == 200 and await server.post(delete) == 200
        rows = await query(db_url, "SELECT message_id, text FROM contribution")
        assert rows == [(question["id"], "What would success look like?")]
        assert_not_leaked(server.logs(), "the Teams server's logs")


async def test_a_1to1_refused_with_403_is_reported_to_the_facilitator_once(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    gus = Person("Gus")
    fake.fail(
        403,
        lambda r: r.path == "/v3/conversations" and r.body["members"][0]["id"] == gus.member_id,
        times=10,
    )
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        # Farah talks to the bot in her 1:1 chat once, so her reference is stored
        farah_chat = "a:farah-personal"
        hello = activity(
            FARAH, "help", service_url=fake.url, conversation=farah_chat, kind="personal"
        )
        assert await server.post(hello) == 200
        await fake.wait_for(lambda _: any("Commands" in r.text for r in fake.sent_to(farah_chat)))
        assert await server.post(command(gus, "join", service_url=fake.url)) == 200
        await fake.wait_for(
            lambda _: any("can't message" in r.text for r in fake.sent_to(farah_chat))
        )
        assert await server.post(command(gus, "members", service_url=fake.url)) == 200
        await fake.wait_for(
            lambda _: sum("joined the set" in r.text for r in fake.sent_to(CHANNEL)) == 5
        )
        # `members` gets a private answer too: once refused, no new attempt is made
        assert await server.post(command(FARAH, "members", service_url=fake.url)) == 200
        await fake.wait_for(
            lambda _: any("has 6 people" in r.text for r in fake.sent_to(farah_chat))
        )
    attempts = [
        r
        for r in fake.records
        if r.path == "/v3/conversations" and r.body["members"][0]["id"] == gus.member_id
    ]
    assert len(attempts) == 1
    notices = [r for r in fake.sent_to(farah_chat) if "can't message" in r.text]
    assert len(notices) == 1 and notices[0].body["entities"][0]["mentioned"]["id"] == gus.aad
    assert "pre-install Revans for personal use" in notices[0].text
    assert not any("can't message" in r.text for r in fake.sent_to(CHANNEL))
    # a restart: Gus's private answers are still dropped, and Farah is not told again
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        assert await server.post(command(gus, "members", service_url=fake.url)) == 200
        assert await server.post(command(FARAH, "members", service_url=fake.url)) == 200
        await fake.wait_for(
            lambda _: sum("has 6 people" in r.text for r in fake.sent_to(farah_chat)) == 2
        )
        assert await server.post(command(FARAH, "members", service_url=fake.url)) == 200
        await fake.wait_for(
            lambda _: sum("has 6 people" in r.text for r in fake.sent_to(farah_chat)) == 3
        )
    assert len([r for r in fake.sent_to(farah_chat) if "can't message" in r.text]) == 1
    reported = await query(db_url, "SELECT user_id FROM teams_unreachable_report")
    assert reported == [(gus.user_id,)]


async def test_conversation_and_installation_updates_keep_references_current(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    other_channel = "19:another@thread.tacv2"
    added = activity(
        FARAH,
        "",
        service_url=fake.url,
        conversation=other_channel,
        activity_type="conversationUpdate",
    )
    added["membersAdded"] = [{"id": "28:revans-bot"}]
    del added["text"]
    fake.fail(403, lambda r: r.path == "/v3/conversations", times=1)
    install = activity(
        BEN,
        "",
        service_url=fake.url,
        conversation="a:ben-personal",
        kind="personal",
        activity_type="installationUpdate",
    )
    install["action"] = "add"
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        assert await server.post(added) == 200
        # Ben's 1:1 is refused once (403: not installed) ...
        assert await server.post(command(BEN, "members", service_url=fake.url)) == 200
        # the content-free notice in the channel comes after the refusal is recorded
        await fake.wait_for(lambda _: any("can't message" in r.text for r in fake.sent_to(CHANNEL)))
        rows = await query(
            db_url, "SELECT refused_at FROM teams_personal_chat WHERE user_id = 'teams:aad-ben'"
        )
        assert rows and rows[0][0] is not None
        # ... until he installs the app: the refusal is cleared and his chat is used
        assert await server.post(install) == 200
        assert await server.post(command(BEN, "members", service_url=fake.url)) == 200
        # (the installation is welcomed there too: the welcome and the answer)
        await fake.wait_for(lambda _: len(fake.sent_to("a:ben-personal")) == 2)
    places = await query(db_url, "SELECT place_id FROM teams_conversation ORDER BY place_id")
    assert (f"teams:{other_channel}",) in places and ("teams:a:ben-personal",) in places
    rows = await query(
        db_url, "SELECT refused_at FROM teams_personal_chat WHERE user_id = 'teams:aad-ben'"
    )
    assert rows == [(None,)]


async def test_requests_that_are_not_activities_are_refused_cleanly(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'bad.db'}"
    async with revans_serve(tmp_path, DATABASE_URL=db) as server:
        url = server.url + "/api/messages"
        async with server.http.post(url, data="hello", headers={"Content-Type": "text/plain"}) as r:
            assert r.status == 415
        async with server.http.post(
            url, data="{not json", headers={"Content-Type": "application/json"}
        ) as r:
            assert r.status == 400
        async with server.http.post(url, json={"text": "no type"}) as r:
            assert r.status == 400
        async with server.http.post(url, json=["a list"]) as r:
            assert r.status == 400
        assert "Traceback" not in server.logs()

"""A round on Teams, end to end: the real `revans serve` process (emulator mode) against
the fake Bot Connector.

`@Revans round start @Amara live 40m` in a channel posts the round's message there,
naming the presenter; replies in its reply chain (`CHANNEL;messageid=<its id>`) count
for the round, top-level channel messages do not; `round next` updates the message in
place (PUT to its activity) and posts a short notice; a member's `round start` is
answered in their 1:1 and changes nothing. In a group chat, which has no reply chains,
the whole chat is the round's space while it runs.
"""

from __future__ import annotations

from pathlib import Path

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.teams_server import CHANNEL, Json, Person, Server, activity, mention, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    BEN,
    CHEN,
    FARAH,
    agree,
    create_set_with_members,
    private_answer_arrived,
    query,
)
from tests.fakes.bot_connector import FakeConnector, Record
from tests.polling import eventually

ROUND_STATE = """
    SELECT (SELECT count(*) FROM learning_round),
           (SELECT count(*) FROM held_meeting),
           (SELECT count(*) FROM due_work WHERE kind <> 'retention.sweep'),
           (SELECT count(*) FROM message_ref)
"""
"""What a round start would change: the round, its meeting, its timers, its message's ref."""
COUNTED = "SELECT role, count(*) FROM round_message GROUP BY role ORDER BY role"


def start_round(
    sender: Person,
    presenter: Person,
    *,
    url: str,
    conversation: str = CHANNEL,
    kind: str = "channel",
) -> Json:
    """`@Revans round start @presenter live 40m`, both mentions as Teams sends them."""
    text = f"<at>Revans</at> round start <at>{presenter.name}</at> live 40m"
    entities = [mention(), mention(presenter)]
    return activity(
        sender, text, service_url=url, entities=entities, conversation=conversation, kind=kind
    )


def said(
    sender: Person, words: str, *, url: str, conversation: str = CHANNEL, kind: str = "channel"
) -> Json:
    """`@Revans words`."""
    text = f"<at>Revans</at> {words}"
    return activity(
        sender, text, service_url=url, entities=[mention()], conversation=conversation, kind=kind
    )


def round_messages(fake: FakeConnector, conversation: str) -> list[Record]:
    return [r for r in fake.sent_to(conversation) if r.method == "POST" and "Round: " in r.text]


async def a_set_of_three(server: Server, fake: FakeConnector) -> None:
    await create_set_with_members(server, fake)
    for person in (AMARA, BEN, CHEN):
        await agree(server, fake, person)


async def all_handled(db_url: str) -> None:
    await eventually(
        lambda: query(db_url, "SELECT count(*) FROM inbound_event WHERE state <> 'done'"),
        lambda undone: undone == [(0,)],
        what="every inbox row to be marked done",
    )


async def test_a_round_runs_in_a_channel_and_its_reply_chain(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await a_set_of_three(server, fake)
        assert await server.post(start_round(FARAH, AMARA, url=url)) == 200
        await fake.wait_for(lambda _: round_messages(fake, CHANNEL))
        (card,) = round_messages(fake, CHANNEL)
        assert card.path == f"/v3/conversations/{CHANNEL}/activities"
        assert "Round: <at>Amara</at> presents (live, 40 min)" in card.text
        entities = card.body["attachments"][0]["content"]["msteams"]["entities"]
        assert {e["mentioned"]["id"] for e in entities} == {AMARA.aad}
        round_id = card.answered_id
        assert round_id is not None
        refs = await eventually(
            lambda: query(db_url, "SELECT place_id, ref FROM message_ref"), what="the round's ref"
        )
        assert refs == [(f"teams:{CHANNEL}", round_id)]

        # round next: the message is updated in place, and a short notice is posted.
        posts_before = len([r for r in fake.sent_to(CHANNEL) if r.method == "POST"])
        assert await server.post(said(FARAH, "round next", url=url)) == 200
        await fake.wait_for(lambda _: any(r.method == "PUT" for r in fake.records))
        (update,) = [r for r in fake.records if r.method == "PUT"]
        assert update.path == f"/v3/conversations/{CHANNEL}/activities/{round_id}"
        assert update.body["id"] == round_id
        assert "[Questions]" in update.text and "Round: " in update.text
        await fake.wait_for(
            lambda _: any("moved the round on from present" in r.text for r in fake.records)
        )
        notice = next(r for r in fake.records if "moved the round on from present" in r.text)
        assert notice.method == "POST" and notice.conversation_id == CHANNEL
        assert notice.path == f"/v3/conversations/{CHANNEL}/activities"
        assert len([r for r in fake.sent_to(CHANNEL) if r.method == "POST"]) == posts_before + 1
        assert await query(db_url, "SELECT phase FROM learning_round") == [("questions",)]

        # Questions in the reply chain count for the round; a top-level message does not.
        chain = f"{CHANNEL};messageid={round_id}"
        for person, words, where in (
            (BEN, f"What matters most here? {PLANTED}", chain),
            (CHEN, f"What have you tried so far? {PLANTED}", chain),
            (AMARA, f"Mostly talking to {PLANTED}", chain),
            (BEN, f"Lunch at one? {PLANTED}", CHANNEL),
        ):
            body = activity(person, words, service_url=url, conversation=where)
            assert await server.post(body) == 200
        await all_handled(db_url)
        assert await query(db_url, COUNTED) == [("answer", 1), ("question", 2)]
        in_the_round = (
            "SELECT count(*) FROM round_message WHERE round_id = (SELECT id FROM learning_round)"
        )
        assert await query(db_url, in_the_round) == [(3,)]
        logs = server.logs()
    assert_not_leaked(logs, "the Teams server's logs")


async def test_a_members_round_start_is_answered_in_their_1to1_and_changes_nothing(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await a_set_of_three(server, fake)
        channel_before = len(fake.sent_to(CHANNEL))
        before = await query(db_url, ROUND_STATE)
        assert await server.post(start_round(BEN, AMARA, url=fake.url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, BEN, "Only a facilitator"))
        await all_handled(db_url)
        assert await query(db_url, ROUND_STATE) == before
        (rounds, meetings, _dana_reminder, refs) = before[0]
        assert (rounds, meetings, refs) == (0, 0, 0)
        assert len(fake.sent_to(CHANNEL)) == channel_before
        assert not any(r.method == "PUT" for r in fake.records)
        logs = server.logs()
    assert_not_leaked(logs, "the Teams server's logs")


async def test_in_a_group_chat_the_whole_chat_is_the_rounds_space(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    chat, url = "19:group-chat-ward@thread.v2", fake.url
    in_chat = {"conversation": chat, "kind": "groupChat"}
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        assert await server.post(said(FARAH, f"create Ward {PLANTED}", url=url, **in_chat)) == 200
        for person in (AMARA, BEN):
            for words in ("join", "agree"):
                assert await server.post(said(person, words, url=url, **in_chat)) == 200
        await fake.wait_for(
            lambda _: sum("accepted the agreement" in r.text for r in fake.sent_to(chat)) == 2
        )
        assert await server.post(start_round(FARAH, AMARA, url=url, **in_chat)) == 200
        await fake.wait_for(lambda _: round_messages(fake, chat))
        assert await server.post(said(FARAH, "round next", url=url, **in_chat)) == 200
        (card,) = round_messages(fake, chat)
        await fake.wait_for(
            lambda _: any(
                r.method == "PUT" and r.activity_id == card.answered_id for r in fake.records
            )
        )
        for person, words in ((BEN, "What matters most here?"), (AMARA, "The rota.")):
            body = activity(person, f"{words} {PLANTED}", service_url=url, **in_chat)
            assert await server.post(body) == 200
        await all_handled(db_url)
        assert await query(db_url, COUNTED) == [("answer", 1), ("question", 1)]
        logs = server.logs()
    assert_not_leaked(logs, "the Teams server's logs")

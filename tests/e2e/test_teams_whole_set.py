"""A whole set on Teams, end to end (issue 15's "Done when"): the real `revans serve`
(emulator mode) against the fake Bot Connector, from installation to a file.

Revans is installed in a team's channel and says its welcome; Farah creates the set,
four people join and three agree; Amara writes her challenge in a card form; Farah runs a
round on it, whose questions come in the round message's reply chain (a leading one draws
a note in its asker's 1:1 alone, an open one nothing); at the commit phase Amara presses
the notice's button and commits in a card form, linked to the round; a sweep at the
moment of her first nudge sends it to her 1:1 as a card, and she presses Done; she exports
her learning log as a file through the consent card. Every step asserts what reached the
fake; every card it received was valid Adaptive Cards 1.5 (the `fake` fixture).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env
from tests.e2e.nudge_sweep import pending_nudges, sweep_at
from tests.e2e.teams_server import CHANNEL, Json, Person, Server, activity, command, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    BEN,
    CHEN,
    FARAH,
    agree,
    create_set_with_members,
    in_channel,
    in_personal_chat,
    private_answer_arrived,
    query,
)
from tests.e2e.test_teams_forms import form_card, submit
from tests.e2e.test_teams_learning_log import consent_answer, file_infos
from tests.e2e.test_teams_nudges import card_of, press
from tests.e2e.test_teams_rounds import all_handled, round_messages, said, start_round
from tests.e2e.test_teams_welcome import installed, welcomes
from tests.fakes.bot_connector import FakeConnector, Record
from tests.polling import eventually

NOTE = "A thought, just for you"
STATEMENTS = "SELECT owner_id, kind, text FROM statement"
SNOOZED = "SELECT kind, at FROM action_nudge WHERE kind = 'snoozed' AND sent_at IS NULL"
ACTIONS = "SELECT number, owner_id, status, round_id FROM action"


def pressed_in_channel(person: Person, card: Record, url: str) -> Json:
    """What Teams posts when a button on a card in the channel is pressed: the card's
    `Action.Submit` data as `value`, no text, in the card's reply chain."""
    (action,) = card_of(card)["actions"]
    body = activity(
        person, "", service_url=url, conversation=f"{CHANNEL};messageid={card.answered_id}"
    )
    body["replyToId"] = card.answered_id
    body["value"] = action["data"]
    return body


def updates_of(fake: FakeConnector, chat: str, card: Record) -> list[Record]:
    """The card's updates in place (PUT to its activity), in order."""
    return [
        r for r in fake.sent_to(chat) if r.method == "PUT" and r.activity_id == card.answered_id
    ]


def opened_forms(fake: FakeConnector, person: Person) -> list[Json]:
    return [c for r in in_personal_chat(fake, person) if (c := form_card(r))]


async def move_round_on(server: Server, fake: FakeConnector, phase: str) -> None:
    """`@Revans round next`: the round message updated in place, and a notice posted."""
    updates = sum(r.method == "PUT" for r in fake.sent_to(CHANNEL))
    assert await server.post(said(FARAH, "round next", url=fake.url)) == 200
    await fake.wait_for(lambda _: sum(r.method == "PUT" for r in fake.sent_to(CHANNEL)) > updates)
    await fake.wait_for(lambda _: in_channel(fake, f"moved the round on from {phase}") == 1)


async def test_a_whole_set_runs_in_a_teams_channel(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        # Installed in the team: one welcome in its channel, saying how to start.
        assert await server.post(installed(FARAH, url, CHANNEL, "channel")) == 200
        await fake.wait_for(lambda _: len(welcomes(fake, CHANNEL)) == 1)
        assert "@Revans create Ward leaders" in welcomes(fake, CHANNEL)[0].text

        # Created, joined, agreed.
        await create_set_with_members(server, fake)
        for person in (AMARA, BEN, CHEN):
            await agree(server, fake, person)

        # Amara's challenge, by card: the form opens in her 1:1, its submit is stored.
        assert await server.post(command(AMARA, "challenge", service_url=url)) == 200
        await fake.wait_for(lambda _: len(opened_forms(fake, AMARA)) == 1)
        amara_chat = fake.personal_chat_of(AMARA.member_id)
        assert amara_chat is not None
        (form,) = opened_forms(fake, AMARA)
        (send,) = form["actions"]
        assert send["type"] == "Action.Submit"
        challenge = f"Shorter waits on {PLANTED} ward"
        answer = submit(AMARA, amara_chat, {**send["data"], "text": challenge}, url)
        assert await server.post(answer) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "challenge is saved"))
        assert await query(db_url, STATEMENTS) == [(AMARA.user_id, "challenge", challenge)]

        # A round: its message in the channel, moved on to questions in place.
        assert await server.post(start_round(FARAH, AMARA, url=url)) == 200
        await fake.wait_for(lambda _: round_messages(fake, CHANNEL))
        (round_card,) = round_messages(fake, CHANNEL)
        assert "Round: <at>Amara</at> presents (live, 40 min)" in round_card.text
        await move_round_on(server, fake, "present")
        update = [r for r in fake.sent_to(CHANNEL) if r.method == "PUT"][-1]
        assert update.activity_id == round_card.answered_id and "[Questions]" in update.text

        # Questions in its reply chain: a leading one draws a note in Ben's 1:1 alone.
        chain = f"{CHANNEL};messageid={round_card.answered_id}"
        channel_before = len(fake.sent_to(CHANNEL))
        chen_before = len(in_personal_chat(fake, CHEN))
        for person, words in (
            (CHEN, f"What matters most to you here? {PLANTED}"),
            (BEN, f"Have you thought about a job share? {PLANTED}"),
        ):
            body = activity(person, words, service_url=url, conversation=chain)
            assert await server.post(body) == 200
        await fake.wait_for(lambda _: any(NOTE in r.text for r in in_personal_chat(fake, BEN)))
        await all_handled(db_url)
        (note,) = [r for r in in_personal_chat(fake, BEN) if NOTE in r.text]
        assert "a job share" in note.text
        assert len(in_personal_chat(fake, CHEN)) == chen_before, "an open question: no note"
        assert len(fake.sent_to(CHANNEL)) == channel_before, "coaching is never said in public"
        counted = "SELECT role, count(*) FROM round_message GROUP BY role"
        assert await query(db_url, counted) == [("question", 2)]

        # On to the commit phase: its notice carries the presenter's button.
        await move_round_on(server, fake, "questions")
        await move_round_on(server, fake, "reflect")
        (commit_notice,) = [
            r for r in fake.sent_to(CHANNEL) if "moved the round on from reflect" in r.text
        ]
        (button,) = card_of(commit_notice)["actions"]
        assert button["type"] == "Action.Submit" and button["title"] == "Commit to an action"

        # Amara presses it: the commit form opens in her 1:1; her submit is her action,
        # linked to the round.
        assert await server.post(pressed_in_channel(AMARA, commit_notice, url)) == 200
        await fake.wait_for(lambda _: len(opened_forms(fake, AMARA)) == 2)
        commit_form = opened_forms(fake, AMARA)[1]
        (send,) = commit_form["actions"]
        by = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
        words = f"call the ward manager {PLANTED} by {by}"
        answer = submit(AMARA, amara_chat, {**send["data"], "text": words}, url)
        assert await server.post(answer) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Noted as your action 1"))
        (round_id,) = await query(db_url, "SELECT id FROM learning_round")
        assert await query(db_url, ACTIONS) == [(1, AMARA.user_id, "open", round_id[0])]
        await all_handled(db_url)

        # A sweep at the moment of her first nudge: a card with buttons in her 1:1.
        (_key, due_at, user_id), *_ = await pending_nudges(db_url)
        assert user_id == AMARA.user_id
        report = await sweep_at(revans_env(DATABASE_URL=db_url), due_at, tmp_path)
        assert report.failed == 0 and report.delivered >= 1
        (nudge,) = [r for r in in_personal_chat(fake, AMARA) if "Action 1 in" in r.text]
        assert f"call the ward manager {PLANTED}" in nudge.text
        titles = [a["title"] for a in card_of(nudge)["actions"]]
        assert titles == ["Done", "Snooze a day", "Snooze a week", "Add a progress note"]

        # Snooze a day: the card updated in place, saying when (in the reader's own time),
        # its buttons kept; the next nudge waits a day.
        snooze = card_of(nudge)["actions"][1]["data"]
        assert await server.post(press(AMARA, amara_chat, snooze, url)) == 200
        await fake.wait_for(lambda _: len(updates_of(fake, amara_chat, nudge)) == 1)
        (snoozed,) = updates_of(fake, amara_chat, nudge)
        assert "Snoozed: I'll nudge you again" in snoozed.text and "{{DATE(" in snoozed.text
        assert len(card_of(snoozed)["actions"]) == 4
        ((_kind, at),) = await query(db_url, SNOOZED)
        until = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        wait = (until if until.tzinfo else until.replace(tzinfo=UTC)) - datetime.now(UTC)
        assert timedelta(hours=20) < wait < timedelta(days=4)

        # Done: the card updated in place, the action done, the set told.
        done = card_of(nudge)["actions"][0]["data"]
        assert await server.post(press(AMARA, amara_chat, done, url)) == 200
        await fake.wait_for(lambda _: len(updates_of(fake, amara_chat, nudge)) == 2)
        closed = updates_of(fake, amara_chat, nudge)[-1]
        assert "Done — thank you" in closed.text and "actions" not in card_of(closed)
        await fake.wait_for(lambda _: in_channel(fake, "did action 1") == 1)
        assert await query(db_url, "SELECT number, status FROM action") == [(1, "done")]
        assert await pending_nudges(db_url) == []

        # A file through consent: her learning log, exported to her 1:1.
        entry = f"log I rushed in {PLANTED}"
        assert await server.post(command(AMARA, entry, service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, AMARA, "Kept in your learning"))
        assert await server.post(command(AMARA, "log export", service_url=url)) == 200
        await fake.wait_for(lambda _: len(fake.consent_cards(amara_chat)) == 1)
        (consent,) = fake.consent_cards(amara_chat)
        upload = {
            "name": consent["name"],
            "uploadUrl": fake.upload_url("amara.md"),
            "contentUrl": "https://contoso.sharepoint.example/amara.md",
            "uniqueId": "unique-1",
            "fileType": "md",
        }
        accepted = consent_answer(AMARA, amara_chat, consent, "accept", url, upload)
        assert await server.post(accepted) == 200
        await fake.wait_for(lambda _: len(file_infos(fake, AMARA)) == 1)
        markdown = fake.uploaded["amara.md"].decode()
        assert markdown.startswith("# Learning log") and f"> I rushed in {PLANTED}" in markdown
        assert len(markdown.encode()) == consent["content"]["sizeInBytes"]
        (info,) = file_infos(fake, AMARA)
        assert (info["name"], info["contentUrl"]) == (consent["name"], upload["contentUrl"])

        await all_handled(db_url)
        await eventually(
            lambda: query(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
            lambda pending: pending == [(0,)],
            what="every reply to be sent",
        )
        logs = server.logs()
    assert "Traceback" not in logs
    said_in_channel = "\n".join(r.text for r in fake.sent_to(CHANNEL))
    assert NOTE not in said_in_channel and "I rushed in" not in said_in_channel
    assert not fake.consent_cards(CHANNEL)
    assert_not_leaked(logs, "the Teams server's logs")
    assert fake.card_errors == []
    cards = [
        a
        for r in fake.records
        for a in r.body.get("attachments") or ()
        if "adaptive" in a.get("contentType", "")
    ]
    assert cards and all(a["content"]["version"] == "1.5" for a in cards)

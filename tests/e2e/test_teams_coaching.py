"""The question coach in a Teams round, end to end against the real `revans serve` and the
fake Bot Connector: a leading question in the round's reply chain draws a note in its
asker's 1:1 alone and nothing in the channel; an open question draws nothing; a
redelivered activity coaches once."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.teams_server import CHANNEL, activity, revans_serve
from tests.e2e.teams_steps import AMARA, BEN, CHEN, FARAH, in_personal_chat, query
from tests.e2e.test_teams_rounds import a_set_of_three, all_handled, round_messages, said
from tests.e2e.test_teams_rounds import start_round as round_start
from tests.fakes.bot_connector import FakeConnector
from tests.polling import eventually

NOTE = "A thought, just for you"


async def test_a_leading_question_draws_a_note_in_the_askers_1to1_only(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await a_set_of_three(server, fake)
        assert await server.post(round_start(FARAH, AMARA, url=url)) == 200
        await fake.wait_for(lambda _: round_messages(fake, CHANNEL))
        (card,) = round_messages(fake, CHANNEL)
        assert await server.post(said(FARAH, "round next", url=url)) == 200
        await fake.wait_for(lambda _: any(r.method == "PUT" for r in fake.records))
        await fake.wait_for(
            lambda _: any("moved the round on from present" in r.text for r in fake.records)
        )
        chain = f"{CHANNEL};messageid={card.answered_id}"
        channel_before = len(fake.sent_to(CHANNEL))
        chen_before = len(in_personal_chat(fake, CHEN))

        open_question = activity(
            CHEN, "What matters most to you here?", service_url=url, conversation=chain
        )
        assert await server.post(open_question) == 200
        leading = activity(
            BEN,
            "Have you thought about a job share?",
            service_url=url,
            conversation=chain,
            activity_id="coach-1",
        )
        assert await server.post(leading) == 200
        await fake.wait_for(lambda _: any(NOTE in r.text for r in in_personal_chat(fake, BEN)))
        assert await server.post(leading) == 200  # the same activity delivered again
        await all_handled(db_url)
        await eventually(
            lambda: query(db_url, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
            lambda pending: pending == [(0,)],
            what="every reply to be sent",
        )
        notes = [r for r in in_personal_chat(fake, BEN) if NOTE in r.text]
        assert len(notes) == 1 and "a job share" in notes[0].text
        assert len(in_personal_chat(fake, CHEN)) == chen_before
        assert len(fake.sent_to(CHANNEL)) == channel_before

"""A round on Teams, end to end: the real `revans serve` (emulator mode) against the fake
Bot Connector. The facilitator starts a round with `@Revans round start @Amara live 40m`
in the channel; its message names the presenter; `round next` updates that activity in
place and posts a notice; replies in its reply chain are counted for the round (counts
only); a member's `round start` is refused in their 1:1. Both databases."""

from __future__ import annotations

from pathlib import Path

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.teams_server import CHANNEL, activity, command, mention, revans_serve
from tests.e2e.teams_steps import (
    AMARA,
    BEN,
    FARAH,
    agree,
    create_set_with_members,
    private_answer_arrived,
    query,
)
from tests.fakes.bot_connector import FakeConnector


def round_start(person: object, url: str) -> dict[str, object]:
    return activity(
        person,  # type: ignore[arg-type]
        "<at>Revans</at> round start <at>Amara</at> live 40m",
        service_url=url,
        entities=[mention(), mention(AMARA)],
    )


async def test_a_round_runs_in_the_channel_and_its_reply_chain(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await create_set_with_members(server, fake)
        for person in (AMARA, BEN):
            await agree(server, fake, person)

        assert await server.post(round_start(BEN, url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, BEN, "Only a facilitator"))
        assert await query(db_url, "SELECT id FROM learning_round") == []

        assert await server.post(round_start(FARAH, url)) == 200
        await fake.wait_for(
            lambda _: any("presents (live" in r.text for r in fake.sent_to(CHANNEL))
        )
        (posted,) = [r for r in fake.sent_to(CHANNEL) if "presents (live, 40 min)" in r.text]
        assert AMARA.aad in str(posted.body)  # the presenter, mentioned in the card

        assert await server.post(command(FARAH, "round next", service_url=url)) == 200
        await fake.wait_for(lambda _: any(r.method == "PUT" for r in fake.records))
        (update,) = [r for r in fake.records if r.method == "PUT" and "[Questions]" in r.text]
        assert update.conversation_id == CHANNEL and update.activity_id
        await fake.wait_for(
            lambda _: any("moved the round on" in r.text for r in fake.sent_to(CHANNEL))
        )

        chain = f"{CHANNEL};messageid={update.activity_id}"
        question = activity(
            BEN, f"What would {PLANTED} change?", service_url=url, conversation=chain
        )
        answer = activity(AMARA, "The night staff, mostly.", service_url=url, conversation=chain)
        for body in (question, answer):
            assert await server.post(body) == 200
        counted = await query(db_url, "SELECT author_id, role, words FROM round_message")
        assert {(a, r) for a, r, _ in counted} == {
            (BEN.user_id, "question"),
            (AMARA.user_id, "answer"),
        }
        assert PLANTED not in str(await query(db_url, "SELECT * FROM round_message"))
        logs = server.logs()
    assert_not_leaked(logs, "the Teams server's logs")

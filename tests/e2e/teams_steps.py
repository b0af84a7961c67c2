"""Steps the Teams end-to-end scenarios share: a set with members, reading the DB,
and what reached whom through the fake Bot Connector."""

from __future__ import annotations

from sqlalchemy import text

from adapters.store.engine import make_engine
from tests.confidential import PLANTED
from tests.e2e.teams_server import CHANNEL, Person, Server, command
from tests.fakes.bot_connector import FakeConnector, Record

FARAH, AMARA, BEN, CHEN, DANA, EMIL = (
    Person(n) for n in ("Farah", "Amara", "Ben", "Chen", "Dana", "Emil")
)
JOINERS = (AMARA, BEN, CHEN, DANA)


async def query(db_url: str, sql: str) -> list[tuple[object, ...]]:
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            return [tuple(row) for row in (await conn.execute(text(sql))).all()]
    finally:
        await engine.dispose()


def in_personal_chat(fake: FakeConnector, person: Person) -> list[Record]:
    chat = fake.personal_chat_of(person.member_id)
    return fake.sent_to(chat) if chat else []


def private_answer_arrived(fake: FakeConnector, person: Person, words: str) -> bool:
    return any(words in r.text for r in in_personal_chat(fake, person))


def in_channel(fake: FakeConnector, words: str) -> int:
    return sum(words in r.text for r in fake.sent_to(CHANNEL))


async def create_set_with_members(server: Server, fake: FakeConnector) -> None:
    """Farah creates the set; Amara, Ben, Chen and Dana join (not yet agreed).

    Returns once every answer, private and public, has reached the fake connector.
    """
    url = fake.url
    assert await server.post(command(FARAH, f"create Ward {PLANTED}", service_url=url)) == 200
    await fake.wait_for(lambda _: in_channel(fake, "made this place the set") == 1)
    for person in JOINERS:
        assert await server.post(command(person, "join", service_url=url)) == 200
    for person in JOINERS:
        await fake.wait_for(lambda _, p=person: private_answer_arrived(fake, p, "Welcome to"))
    await fake.wait_for(lambda _: in_channel(fake, "joined the set") == len(JOINERS))


async def agree(server: Server, fake: FakeConnector, person: Person) -> None:
    assert await server.post(command(person, "agree", service_url=fake.url)) == 200
    await fake.wait_for(lambda _: private_answer_arrived(fake, person, "you are now a member"))
    await fake.wait_for(
        lambda _: any(
            "accepted the agreement" in r.text
            and r.body["entities"][0]["mentioned"]["id"] == person.aad
            for r in fake.sent_to(CHANNEL)
        )
    )

"""`TeamsGateway` over the real store and the local fake Bot Connector."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.store.uow import SqlUnitOfWorkFactory
from adapters.teams.connector import ConnectorPool
from adapters.teams.gateway import TeamsGateway
from adapters.teams.references import TeamsReferences
from adapters.teams.translate import ConversationRef, TeamsMember
from bot.errors import DeliveryError
from bot.messages import Mention, Message
from bot.model import LearningSet, Membership, Person, Role
from tests.confidential import PLANTED
from tests.fakes import FakeClock
from tests.fakes.bot_connector import FakeConnector

PLACE = "teams:19:c@thread.tacv2"
NOW = FakeClock().now()


@pytest.fixture
async def gateway(
    fake: FakeConnector, uow_factory: SqlUnitOfWorkFactory
) -> AsyncIterator[TeamsGateway]:
    pool = ConnectorPool(None)
    references = TeamsReferences(uow_factory.sessions)
    channel = ConversationRef(fake.url, "19:c@thread.tacv2", "channel", "28:bot", "Revans", "t1")
    await references.remember_conversation(PLACE, channel)
    async with uow_factory() as uow:
        await uow.sets.add(LearningSet("s1", PLACE, "teams", "Set", "teams:fay", NOW))
        for user, role in (("teams:fay", Role.FACILITATOR), ("teams:gus", Role.MEMBER)):
            await uow.people.save(Person(user, user.removeprefix("teams:").title()))
            await uow.memberships.save(Membership("s1", user, role, NOW))
        await uow.commit()
    for user in ("teams:fay", "teams:gus"):
        member = TeamsMember(user, f"29:{user[6:]}", fake.url, "t1", "28:bot", "Revans")
        await references.remember_member(member)
    try:
        yield TeamsGateway(pool, references, uow_factory)
    finally:
        await pool.close()


async def test_when_no_facilitator_can_be_told_the_place_is_told_without_content(
    gateway: TeamsGateway, fake: FakeConnector
) -> None:
    fake.fail(403, lambda r: r.path == "/v3/conversations", times=5)  # nobody installed it
    await gateway.post_private(PLACE, "teams:gus", Message.text(f"your challenge {PLANTED}"))
    public = fake.sent_to("19:c@thread.tacv2")
    assert len(public) == 1
    assert "I can't message <at>Gus</at> privately: please install Revans" in public[0].text
    assert PLANTED not in public[0].text
    # recorded: the next private message is not attempted again, nor reported again
    attempts = len(fake.records)
    await gateway.post_private(PLACE, "teams:gus", Message.text("again"))
    assert len(fake.records) == attempts


async def test_a_1to1_from_the_user_clears_a_recorded_refusal(
    gateway: TeamsGateway, fake: FakeConnector
) -> None:
    fake.fail(403, lambda r: r.path == "/v3/conversations", times=2)
    await gateway.direct("teams:gus", Message.text("hello"))
    personal = ConversationRef(fake.url, "a:gus-chat", "personal", "28:bot", "Revans", "t1")
    member = TeamsMember("teams:gus", "29:gus", fake.url, "t1", "28:bot", "Revans")
    await gateway.references.remember_member(member, personal)
    ref = await gateway.direct("teams:gus", Message.text("hello again"))
    assert ref.startswith("act-") and len(fake.sent_to("a:gus-chat")) == 1


async def test_threads_updates_and_unknown_people(
    gateway: TeamsGateway, fake: FakeConnector
) -> None:
    ref = await gateway.post(PLACE, Message.text(Mention("teams:fay"), " opened"), thread_id="17")
    await gateway.update(PLACE, ref, Message.text("closed"))
    reply, update = fake.records
    assert reply.conversation_id == "19:c@thread.tacv2;messageid=17" and reply.activity_id == "17"
    assert reply.body["entities"][0]["mentioned"] == {"id": "fay", "name": "Fay"}
    assert update.method == "PUT" and update.activity_id == ref
    with pytest.raises(DeliveryError):
        await gateway.direct("teams:stranger", Message.text("hi"))
    with pytest.raises(DeliveryError):
        await gateway.post("teams:unknown-place", Message.text("hi"))


async def test_messages_sent_at_once_to_someone_new_open_one_1to1(
    gateway: TeamsGateway, fake: FakeConnector
) -> None:
    """A command's answer and a notice can go to the same person at the same moment."""
    await asyncio.gather(*(gateway.direct("teams:gus", Message.text(f"n{i}")) for i in range(3)))
    creations = [r for r in fake.records if r.path == "/v3/conversations"]
    assert len(creations) == 1
    chat = fake.personal_chat_of("29:gus")
    assert chat is not None and len(fake.sent_to(chat)) == 3

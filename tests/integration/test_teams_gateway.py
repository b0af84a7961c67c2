"""`TeamsGateway` over the real store and the local fake Bot Connector."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.pacing import Pacer
from adapters.store.uow import SqlUnitOfWorkFactory
from adapters.teams.connector import ConnectorPool
from adapters.teams.gateway import TeamsGateway
from adapters.teams.references import TeamsReferences
from adapters.teams.translate import ConversationRef, TeamsMember
from bot.errors import DeliveryError, Undeliverable
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
    assert "I can't message <at>Gus</at> privately yet" in public[0].text
    assert "open a chat with Revans" in public[0].text
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


async def facilitator_chat(fake: FakeConnector) -> list[str]:
    chat = fake.personal_chat_of("29:fay")
    return [r.text for r in fake.sent_to(chat)] if chat else []


async def test_a_refused_1to1_is_told_to_the_facilitator_once_also_after_a_restart(
    gateway: TeamsGateway, fake: FakeConnector, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Gus has not installed the app; Fay (facilitator) has. Fay is told once, kindly, with
    what to do, and nothing of the message; Gus's message is dropped, not retried."""
    fake.fail(
        403,
        lambda r: r.path == "/v3/conversations" and r.body["members"][0]["id"] == "29:gus",
        times=99,
    )
    await gateway.post_private(PLACE, "teams:gus", Message.text(f"your challenge {PLANTED}"))
    told = await facilitator_chat(fake)
    assert len(told) == 1
    assert "I can't message <at>Gus</at> privately in Teams" in told[0]
    assert "pre-install Revans for personal use" in told[0] and "open a chat with Revans" in told[0]
    assert PLANTED not in told[0]
    assert not fake.sent_to("19:c@thread.tacv2"), "nothing said in the channel"
    # a restart: a new gateway over the same database, and Gus's 1:1 refused again
    pool = ConnectorPool(None)
    references = TeamsReferences(uow_factory.sessions)
    member = TeamsMember("teams:gus", "29:gus", fake.url, "t1", "28:bot", "Revans")
    await references.remember_member(member)
    restarted = TeamsGateway(pool, references, uow_factory)  # nothing remembered in memory
    try:
        await restarted.post_private(PLACE, "teams:gus", Message.text("again"))
        await restarted.direct("teams:gus", Message.text("and a nudge"))
    finally:
        await pool.close()
    assert len(await facilitator_chat(fake)) == 1, "told once, not again after a restart"


async def test_each_set_of_the_member_is_told_once(
    gateway: TeamsGateway, fake: FakeConnector, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """A message tied to no set (a nudge in the 1:1) tells every set Gus is in; a second
    set's facilitator hears it from that set too, and each only once."""
    other = "teams:19:d@thread.tacv2"
    async with uow_factory() as uow:
        await uow.sets.add(LearningSet("s2", other, "teams", "Set 2", "teams:hal", NOW))
        await uow.people.save(Person("teams:hal", "Hal"))
        await uow.memberships.save(Membership("s2", "teams:hal", Role.FACILITATOR, NOW))
        await uow.memberships.save(Membership("s2", "teams:gus", Role.MEMBER, NOW))
        await uow.commit()
    hal = TeamsMember("teams:hal", "29:hal", fake.url, "t1", "28:bot", "Revans")
    await gateway.references.remember_member(hal)
    fake.fail(
        403,
        lambda r: r.path == "/v3/conversations" and r.body["members"][0]["id"] == "29:gus",
        times=99,
    )
    for n in range(3):
        assert await gateway.direct("teams:gus", Message.text(f"nudge {n}")) == ""
    fay, hal_chat = fake.personal_chat_of("29:fay"), fake.personal_chat_of("29:hal")
    assert fay and hal_chat
    assert len(fake.sent_to(fay)) == 1 and len(fake.sent_to(hal_chat)) == 1
    creations = [r for r in fake.records if r.path == "/v3/conversations"]
    assert len([r for r in creations if r.body["members"][0]["id"] == "29:gus"]) == 1, (
        "the refusal is remembered: no new attempt per message"
    )


async def test_a_403_in_a_1to1_place_drops_the_message_rather_than_retrying_it(
    gateway: TeamsGateway, fake: FakeConnector
) -> None:
    """A message for a place that is a 1:1 chat (e.g. an answer to a command typed there)
    refused with 403: the app is gone for that person, so it is `Undeliverable` (the outbox
    drops it) rather than retried; in a channel a 403 stays an ordinary failure."""
    personal = ConversationRef(fake.url, "a:1to1-gus", "personal", "28:bot", "Revans", "t1")
    await gateway.references.remember_conversation("teams:a:1to1-gus", personal)
    fake.fail(403, lambda r: r.method == "POST", times=2)
    with pytest.raises(Undeliverable):
        await gateway.post("teams:a:1to1-gus", Message.text("Your bid is in."))
    with pytest.raises(DeliveryError) as raised:
        await gateway.post(PLACE, Message.text("Round 2"))
    assert not isinstance(raised.value, Undeliverable)


async def test_every_call_takes_a_turn_in_its_tenants_window(
    gateway: TeamsGateway, fake: FakeConnector
) -> None:
    """The tenant comes from the stored reference (channel, 1:1 opening, 1:1 send): with a
    window of 2 per second, six calls of tenant t1 end two seconds into the fake clock."""
    clock = [0.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds

    tenants = Pacer(windows=((1.0, 2),), now=lambda: clock[0], sleep=sleep)
    pool = ConnectorPool(None, tenants=tenants, pacer=Pacer(now=lambda: clock[0], sleep=sleep))
    paced = TeamsGateway(pool, gateway.references, gateway.uow)
    try:
        await paced.post(PLACE, Message.text("Round 2"))
        await paced.post(PLACE, Message.text("Round 3"))
        await paced.direct("teams:fay", Message.text("hello"))  # opens the 1:1, then sends
        await paced.direct("teams:gus", Message.text("hello"))
    finally:
        await pool.close()
    assert len(fake.records) == 6 and list(tenants._sent) == ["t1"]
    assert clock[0] == 2.0, "six calls at two a second: turns at 0, 0, 1, 1, 2, 2"

"""Sets, people and memberships: the records a roster is made of."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import Conflict
from bot.model import Membership, Person, Role, SetStatus
from bot.ports import UnitOfWorkFactory
from tests.records import T0, a_set


async def test_a_set_is_found_by_id_and_by_place(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.sets.add(a_set(id="s2", place_id="p2", name="Other"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sets.get("s1") == a_set()
        assert await uow.sets.get_by_place("p2") == a_set(id="s2", place_id="p2", name="Other")
        assert await uow.sets.get("nope") is None
        assert await uow.sets.get_by_place("nowhere") is None


async def test_saving_a_set_updates_it_or_adds_it(uow_factory: UnitOfWorkFactory) -> None:
    closed = a_set(status=SetStatus.CLOSED, closed_at=T0 + timedelta(days=1), tz="Asia/Tokyo")
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.sets.save(a_set(id="s2", place_id="p2"))  # new: added
        await uow.commit()
    async with uow_factory() as uow:
        await uow.sets.save(closed)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sets.get("s1") == closed
        assert await uow.sets.get("s2") == a_set(id="s2", place_id="p2")


@pytest.mark.parametrize(
    "clash", [{"id": "s1", "place_id": "p2"}, {"id": "s2", "place_id": "p1"}], ids=["id", "place"]
)
async def test_a_second_set_with_the_same_id_or_place_is_a_conflict(
    uow_factory: UnitOfWorkFactory, clash: dict[str, str]
) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.commit()
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await uow.sets.add(a_set(**clash, name="Clash"))
            await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sets.get("s1") == a_set()
        assert await uow.sets.get("s2") is None


async def test_people_are_inserted_then_updated(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.people.save(Person("u1", "Fay", "Europe/London"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.people.get("u1") == Person("u1", "Fay", "Europe/London", None)
        await uow.people.save(Person("u1", "Fay B", None, "Asia/Tokyo"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.people.get("u1") == Person("u1", "Fay B", None, "Asia/Tokyo")
        assert await uow.people.get("u2") is None


async def test_active_members_of_one_set_in_joining_order(uow_factory: UnitOfWorkFactory) -> None:
    joined = [T0 + timedelta(minutes=n) for n in range(4)]
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.sets.add(a_set(id="s2", place_id="p2"))
        # saved out of order: the list is by joining time, not by insertion
        await uow.memberships.save(Membership("s1", "u3", Role.MEMBER, joined[2]))
        await uow.memberships.save(Membership("s1", "u1", Role.FACILITATOR, joined[0], joined[0]))
        await uow.memberships.save(Membership("s1", "u2", Role.GUEST, joined[1]))
        await uow.memberships.save(Membership("s2", "u1", Role.MEMBER, joined[3]))
        await uow.commit()
    async with uow_factory() as uow:
        u2 = await uow.memberships.get("s1", "u2")
        assert u2 == Membership("s1", "u2", Role.GUEST, joined[1])
        assert u2 is not None
        u2.left_at = joined[3]
        await uow.memberships.save(u2)
        await uow.commit()
    async with uow_factory() as uow:
        active = await uow.memberships.list_active("s1")
        assert [(m.user_id, m.role, m.agreed_at) for m in active] == [
            ("u1", Role.FACILITATOR, joined[0]),
            ("u3", Role.MEMBER, None),
        ]
        assert await uow.memberships.get("s1", "u2") == Membership(
            "s1", "u2", Role.GUEST, joined[1], left_at=joined[3]
        )
        assert await uow.memberships.get("s2", "u2") is None
        assert [m.user_id for m in await uow.memberships.list_active("s2")] == ["u1"]


async def test_a_membership_is_updated_in_place(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.memberships.save(Membership("s1", "u1", Role.MEMBER, T0))
        await uow.commit()
    agreed = Membership("s1", "u1", Role.FACILITATOR, T0 + timedelta(hours=1), T0)
    async with uow_factory() as uow:
        await uow.memberships.save(agreed)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.memberships.list_active("s1") == [agreed]

"""Meetings and what hangs off one: guests invited to it, airtime bids, and sponsors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import Conflict
from bot.model import AirtimeBid, GuestInvitation, Meeting, SponsorLink
from bot.ports import UnitOfWork, UnitOfWorkFactory
from tests.records import T0, a_set


def meeting(n: int, set_id: str = "s1") -> Meeting:
    return Meeting(f"{set_id}-m{n}", set_id, T0 + timedelta(weeks=n), T0, "series")


async def a_set_with_meetings(uow: UnitOfWork, count: int = 3) -> None:
    await uow.sets.add(a_set())
    for n in range(count):
        await uow.meetings.add(meeting(n))


async def test_upcoming_meetings_skip_the_cancelled_and_the_past(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set(id="s2", place_id="p2"))
        await uow.meetings.add(meeting(1, "s2"))
        await a_set_with_meetings(uow, 4)
        await uow.commit()
    async with uow_factory() as uow:
        cancelled = await uow.meetings.get("s1-m2")
        assert cancelled == meeting(2)
        assert cancelled is not None
        cancelled.cancelled_at = T0
        await uow.meetings.save(cancelled)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.meetings.upcoming("s1", T0) == [meeting(0), meeting(1), meeting(3)]
        after = T0 + timedelta(weeks=1)  # a meeting starting at `after` is still upcoming
        assert await uow.meetings.upcoming("s1", after) == [meeting(1), meeting(3)]
        assert await uow.meetings.get("s1-m2") == Meeting(
            "s1-m2", "s1", T0 + timedelta(weeks=2), T0, "series", cancelled_at=T0
        )
        assert await uow.meetings.get("nope") is None


async def test_a_second_meeting_with_the_same_id_is_a_conflict(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await a_set_with_meetings(uow, 1)
        await uow.commit()
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await uow.meetings.add(Meeting("s1-m0", "s1", T0 + timedelta(days=1), T0))
            await uow.commit()
    async with uow_factory() as uow:
        assert await uow.meetings.upcoming("s1", T0) == [meeting(0)]


async def test_a_guest_invitation_is_kept_once(uow_factory: UnitOfWorkFactory) -> None:
    invitation = GuestInvitation("s1", "g1", "s1-m1", "u1", T0)
    async with uow_factory() as uow:
        await a_set_with_meetings(uow)
        await uow.guests.add(invitation)
        await uow.guests.add(invitation)  # invited twice: one invitation
        await uow.guests.add(GuestInvitation("s1", "g1", "s1-m2", "u1", T0))
        await uow.guests.add(GuestInvitation("s1", "g2", "s1-m1", "u1", T0))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.guests.add(invitation)  # and again in a later unit of work
        await uow.commit()
    async with uow_factory() as uow:
        mine = await uow.guests.of_user("s1", "g1")
        assert sorted(g.meeting_id for g in mine) == ["s1-m1", "s1-m2"]
        assert invitation in mine
        assert await uow.guests.of_user("s1", "g3") == []


async def test_a_members_later_bid_replaces_the_earlier(uow_factory: UnitOfWorkFactory) -> None:
    later = AirtimeBid("s1", "s1-m0", "u2", T0 + timedelta(minutes=5), 30, None)
    other = AirtimeBid("s1", "s1-m0", "u3", T0 + timedelta(minutes=1), None, "a note")
    async with uow_factory() as uow:
        await a_set_with_meetings(uow)
        await uow.bids.save(AirtimeBid("s1", "s1-m0", "u2", T0, 20, "first"))
        await uow.bids.save(other)
        await uow.bids.save(AirtimeBid("s1", "s1-m1", "u2", T0, 10))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.bids.save(later)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.bids.for_meeting("s1-m0") == [other, later], "in bidding order"
        assert await uow.bids.for_meeting("s1-m2") == []


async def test_a_members_sponsor_is_replaced_not_added(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.sponsors.save(SponsorLink("s1", "u2", "boss1", T0))
        await uow.sponsors.save(SponsorLink("s1", "u3", "boss2", T0))
        await uow.commit()
    replaced = SponsorLink("s1", "u2", "boss2", T0 + timedelta(days=1))
    async with uow_factory() as uow:
        await uow.sponsors.save(replaced)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sponsors.of_member("s1", "u2") == replaced
        assert await uow.sponsors.of_member("s1", "u9") is None
        assert await uow.sponsors.sponsoring("s1", "boss1") == []
        sponsored = await uow.sponsors.sponsoring("s1", "boss2")
        assert sorted(link.member_id for link in sponsored) == ["u2", "u3"]


async def test_sponsor_links_are_found_by_sponsor_across_sets_and_removed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.sets.add(a_set(id="s2", place_id="p2"))
        await uow.sponsors.save(SponsorLink("s2", "u2", "boss", T0 + timedelta(hours=1)))
        await uow.sponsors.save(SponsorLink("s1", "u3", "boss", T0))
        await uow.sponsors.save(SponsorLink("s1", "u4", "other", T0))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.sponsors.of_sponsor("boss")
        assert [(link.set_id, link.member_id) for link in found] == [("s1", "u3"), ("s2", "u2")]
        await uow.sponsors.remove("s1", "u3")
        await uow.sponsors.remove("s1", "nobody")  # a no-op
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sponsors.of_member("s1", "u3") is None
        assert [link.member_id for link in await uow.sponsors.of_sponsor("boss")] == ["u2"]
        assert await uow.sponsors.of_member("s1", "u4") is not None

"""A fishbowl round's held notes, the inner set a round keeps, and a person's sets, on
every store."""

from __future__ import annotations

from datetime import timedelta

from bot.model import FishbowlNote, Membership, Mode, Role, Round
from bot.model.rounds import live_lengths
from bot.ports import UnitOfWorkFactory
from tests.confidential import PLANTED
from tests.contract.test_rounds import a_meeting
from tests.records import T0, a_set


def fishbowl(n: int = 1, set_id: str = "s1") -> Round:
    return Round.start(
        f"{set_id}-r{n}",
        set_id=set_id,
        meeting_id=f"{set_id}-h1",
        presenter_id="u2",
        mode=Mode.LIVE,
        lengths=live_lengths(None, None),
        now=T0,
        by="u1",
        inner=("u3", "u4"),
    )


def note(n: int, round_id: str = "s1-r1", minutes: int = 0) -> FishbowlNote:
    at = T0 + timedelta(minutes=minutes)
    return FishbowlNote(f"note:{n}", round_id, "s1", "u5", f"thought {n} {PLANTED}", at)


async def test_a_round_keeps_its_inner_set(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.rounds.add(fishbowl())
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.rounds.get("s1-r1")
        assert found == fishbowl() and found.inner == ("u3", "u4")
        assert found.in_outer_ring("u5") and not found.in_outer_ring("u3")
        assert not found.in_outer_ring("u2")  # the presenter


async def test_notes_are_held_in_order_once_and_marked_shown(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.rounds.add(fishbowl())
        await uow.fishbowl_notes.add(note(2, minutes=5))
        await uow.fishbowl_notes.add(note(1, minutes=1))
        await uow.commit()
    async with uow_factory() as uow:
        again = note(1, minutes=1)
        again.text = "a second delivery"
        await uow.fishbowl_notes.add(again)  # the same note delivered twice: kept as it was
        await uow.commit()
    async with uow_factory() as uow:
        held = await uow.fishbowl_notes.of_round("s1-r1")
        assert held == [note(1, minutes=1), note(2, minutes=5)]
        assert await uow.fishbowl_notes.of_round("s1-r9") == []
        await uow.fishbowl_notes.mark_shown(["note:1"], T0 + timedelta(minutes=30))
        await uow.fishbowl_notes.mark_shown([], T0)
        await uow.commit()
    async with uow_factory() as uow:
        shown = {n.id: n.shown_at for n in await uow.fishbowl_notes.of_round("s1-r1")}
        assert shown == {"note:1": T0 + timedelta(minutes=30), "note:2": None}


async def test_a_persons_active_memberships_in_every_set(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        for n in (1, 2, 3):
            await uow.sets.add(a_set(id=f"s{n}", place_id=f"p{n}"))
            joined = T0 + timedelta(days=n)
            left = T0 + timedelta(days=9) if n == 2 else None
            await uow.memberships.save(Membership(f"s{n}", "u5", Role.MEMBER, joined, left_at=left))
        await uow.memberships.save(Membership("s1", "u6", Role.MEMBER, T0))
        await uow.commit()
    async with uow_factory() as uow:
        assert [m.set_id for m in await uow.memberships.of_user("u5")] == ["s1", "s3"]
        assert await uow.memberships.of_user("nobody") == []

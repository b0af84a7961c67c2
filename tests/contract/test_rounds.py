"""Meetings as held, their rounds and the counts of who took part, on every store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import Conflict
from bot.model import HeldMeeting, Meeting, MessageRole, Mode, Phase, Round, RoundMessage
from bot.model.rounds import live_lengths
from bot.ports import UnitOfWork, UnitOfWorkFactory
from tests.records import T0, a_set


def held(n: int = 1, set_id: str = "s1", **kw: object) -> HeldMeeting:
    return HeldMeeting(f"{set_id}-h{n}", set_id, T0, "u1", **kw)  # type: ignore[arg-type]


def a_round(n: int = 1, *, set_id: str = "s1", presenter: str = "u2", at: int = 0) -> Round:
    return Round.start(
        f"{set_id}-r{n}",
        set_id=set_id,
        meeting_id=f"{set_id}-h1",
        presenter_id=presenter,
        mode=Mode.LIVE,
        lengths=live_lengths(None, None),
        now=T0 + timedelta(minutes=at),
        by="u1",
    )


async def a_meeting(uow: UnitOfWork, set_id: str = "s1") -> None:
    await uow.sets.add(a_set(id=set_id, place_id=f"p-{set_id}"))
    await uow.meetings.add(Meeting(f"{set_id}-m1", set_id, T0, T0))
    await uow.held_meetings.add(held(set_id=set_id, planned_id=f"{set_id}-m1"))


async def test_a_held_meeting_keeps_its_agenda_and_closes(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.held_meetings.open_in("s1")
        assert found == held(planned_id="s1-m1")
        assert found is not None
        found.agenda = ("u3", "u2")
        found.closed_at = T0 + timedelta(hours=2)
        await uow.held_meetings.save(found)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.held_meetings.open_in("s1") is None
        closed = await uow.held_meetings.get("s1-h1")
        assert closed is not None and closed.agenda == ("u3", "u2")
        assert closed.closed_at == T0 + timedelta(hours=2)
        assert await uow.held_meetings.get("nope") is None


async def test_the_latest_meeting_is_the_last_opened_open_or_closed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        assert await uow.held_meetings.latest_in("s1") is None
        await uow.sets.add(a_set(id="s1", place_id="p-s1"))
        await uow.held_meetings.add(
            HeldMeeting("s1-h1", "s1", T0, "u1", closed_at=T0 + timedelta(hours=1))
        )
        await uow.held_meetings.add(
            HeldMeeting(
                "s1-h2",
                "s1",
                T0 + timedelta(days=14),
                "u1",
                closed_at=T0 + timedelta(days=14, hours=1),
            )
        )
        await uow.commit()
    async with uow_factory() as uow:
        latest = await uow.held_meetings.latest_in("s1")
        assert latest is not None and latest.id == "s1-h2"
        assert await uow.held_meetings.latest_in("other") is None


async def test_one_open_meeting_per_set(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.commit()
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await uow.held_meetings.add(held(2))
            await uow.commit()
    async with uow_factory() as uow:  # a closed one does not count
        await uow.held_meetings.add(held(3, closed_at=T0))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.held_meetings.get("s1-h3") is not None


async def test_a_round_survives_in_every_state(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.rounds.add(a_round())
        await uow.commit()
    expected = a_round()
    for change in ("next", "pause", "extend", "resume", "next", "close"):
        async with uow_factory() as uow:
            stored = await uow.rounds.get("s1-r1")
            assert stored == expected
            assert stored is not None
            now = T0 + timedelta(minutes=7, microseconds=123)
            for r in (stored, expected):
                if change == "extend":
                    r.extend(timedelta(minutes=3), now)
                else:
                    getattr(r, change)(now)
            await uow.rounds.save(stored)
            await uow.commit()
    async with uow_factory() as uow:
        closed = await uow.rounds.get("s1-r1")
        assert closed == expected and closed.phase is Phase.CLOSED  # type: ignore[union-attr]
        assert await uow.rounds.open_in("s1") is None


async def test_a_paused_round_keeps_its_time_left_to_the_microsecond(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        paused = a_round()
        paused.pause(T0 + timedelta(minutes=2, microseconds=7))
        await uow.rounds.add(paused)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.rounds.open_in("s1")
        assert found is not None and found.paused_left == timedelta(minutes=3, microseconds=-7)
        assert found.deadline is None


async def test_one_open_round_per_set(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await a_meeting(uow, "s2")
        await uow.rounds.add(a_round())
        await uow.rounds.add(a_round(set_id="s2"))  # another set's round is no clash
        await uow.commit()
    with pytest.raises(Conflict):
        async with uow_factory() as uow:
            await uow.rounds.add(a_round(2, presenter="u3"))
            await uow.commit()
    async with uow_factory() as uow:
        first = await uow.rounds.open_in("s1")
        assert first is not None and first.id == "s1-r1"


async def test_of_two_concurrent_changes_to_a_round_one_wins(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.rounds.add(a_round())
        await uow.commit()
    later = T0 + timedelta(minutes=1)
    async with uow_factory() as first:
        mine = await first.rounds.get("s1-r1")
        assert mine is not None
        mine.next(later)
        await first.rounds.save(mine)
        await first.commit()
    with pytest.raises(Conflict):
        async with uow_factory() as second:  # read before the first saved: same step
            stale = a_round()
            stale.pause(later)
            await second.rounds.save(stale)
            await second.commit()
    async with uow_factory() as uow:
        found = await uow.rounds.get("s1-r1")
        assert found is not None and found.phase is Phase.QUESTIONS and not found.is_paused


async def test_rounds_by_meeting_and_who_presented_when(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        for n, (presenter, at) in enumerate((("u2", 0), ("u3", 50), ("u2", 100)), start=1):
            r = a_round(n, presenter=presenter, at=at)
            await uow.rounds.add(r)
            if n < 3:
                r.close(T0 + timedelta(minutes=at + 40))
                await uow.rounds.save(r)
        await uow.commit()
    async with uow_factory() as uow:
        assert [r.id for r in await uow.rounds.of_meeting("s1-h1")] == ["s1-r1", "s1-r2", "s1-r3"]
        assert await uow.rounds.last_presented("s1") == {
            "u2": T0 + timedelta(minutes=100),
            "u3": T0 + timedelta(minutes=50),
        }
        assert await uow.rounds.last_presented("s9") == {}


def message(n: int, author: str, role: MessageRole, words: int) -> RoundMessage:
    return RoundMessage(
        "s1-r1", "p-s1", f"m{n}", author, Phase.QUESTIONS, role, words, T0 + timedelta(seconds=n)
    )


async def test_round_messages_are_saved_edited_and_deleted(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.rounds.add(a_round())
        await uow.round_messages.save(message(2, "u3", MessageRole.QUESTION, 9))
        await uow.round_messages.save(message(1, "u2", MessageRole.ANSWER, 4))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.round_messages.save(message(2, "u3", MessageRole.QUESTION, 12))  # edited
        await uow.round_messages.delete("p-s1", "m1")
        await uow.round_messages.delete("p-s1", "nope")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.round_messages.of_round("s1-r1") == [
            message(2, "u3", MessageRole.QUESTION, 12)
        ]
        assert await uow.round_messages.get("p-s1", "m1") is None


async def test_a_round_on_the_shared_challenge_stays_one(uow_factory: UnitOfWorkFactory) -> None:
    shared = Round.start(
        "s1-r1",
        set_id="s1",
        meeting_id="s1-h1",
        presenter_id="u2",
        mode=Mode.ASYNC,
        lengths=live_lengths(None, None),
        now=T0,
        by="u1",
        shared=True,
    )
    shared.close(T0 + timedelta(minutes=40))
    async with uow_factory() as uow:
        await a_meeting(uow)
        await uow.rounds.add(shared)
        await uow.rounds.add(a_round(2, at=60))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.rounds.get("s1-r1")
        assert found == shared and found.shared
        other = await uow.rounds.get("s1-r2")
        assert other is not None and not other.shared

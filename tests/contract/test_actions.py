"""Committed actions and their progress notes, on every store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import Conflict
from bot.model import Action, ActionNote, ActionStatus
from bot.ports import UnitOfWork, UnitOfWorkFactory
from tests.confidential import PLANTED
from tests.records import T0, a_set


def an_action(number: int = 1, set_id: str = "s1", **overrides: object) -> Action:
    values: dict[str, object] = {
        "id": f"{set_id}-a{number}",
        "set_id": set_id,
        "number": number,
        "owner_id": "u2",
        "text": f"talk to the rota team {PLANTED}",
        "created_at": T0,
    }
    values.update(overrides)
    return Action(**values)  # type: ignore[arg-type]


async def two_sets(uow: UnitOfWork) -> None:
    await uow.sets.add(a_set())
    await uow.sets.add(a_set(id="s2", place_id="p2"))


async def test_an_action_survives_with_its_notes_and_closing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    due = T0 + timedelta(days=7)
    async with uow_factory() as uow:
        await two_sets(uow)
        await uow.actions.add(an_action(due_at=due, meeting_id="s1-h1", round_id="s1-r1"))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.actions.get("s1", 1)
        assert found == an_action(due_at=due, meeting_id="s1-h1", round_id="s1-r1")
        assert found.due_at is not None and found.due_at.utcoffset() == timedelta(0)
        found.note_progress(f"met them {PLANTED}", T0 + timedelta(days=1))
        await uow.actions.save(found)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.actions.get("s1", 1)
        assert found is not None
        found.note_progress("agreed a pilot", T0 + timedelta(days=2))
        found.close(ActionStatus.DONE, T0 + timedelta(days=3), "pilot in May")
        await uow.actions.save(found)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.actions.get("s1", 1)
        assert found is not None and found.status is ActionStatus.DONE and not found.is_open
        assert found.notes == [
            ActionNote(f"met them {PLANTED}", T0 + timedelta(days=1)),
            ActionNote("agreed a pilot", T0 + timedelta(days=2)),
        ]
        assert found.closed_at == T0 + timedelta(days=3)
        assert found.closing_note == "pilot in May"
        assert await uow.actions.get("s1", 2) is None
        assert await uow.actions.get("s2", 1) is None


async def test_numbers_count_up_within_each_set(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await two_sets(uow)
        assert await uow.actions.next_number("s1") == 1
        await uow.actions.add(an_action(2))
        await uow.actions.add(an_action(1))
        await uow.actions.add(an_action(1, set_id="s2"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.actions.next_number("s1") == 3
        assert await uow.actions.next_number("s2") == 2
        assert [a.number for a in await uow.actions.of_set("s1")] == [1, 2]
        assert [a.id for a in await uow.actions.of_set("s2")] == ["s2-a1"]


async def test_a_number_taken_concurrently_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await two_sets(uow)
        await uow.actions.add(an_action(1))
        await uow.commit()
    with pytest.raises(Conflict):
        async with uow_factory() as uow:  # read next_number before the first committed
            await uow.actions.add(an_action(1, id="other", owner_id="u3"))
            await uow.commit()
    async with uow_factory() as uow:
        [only] = await uow.actions.of_set("s1")
        assert only.id == "s1-a1" and only.owner_id == "u2"


async def test_a_dropped_action_keeps_its_reason(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await two_sets(uow)
        await uow.actions.add(an_action(1, due_at=T0))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.actions.get("s1", 1)
        assert found is not None and found.overdue(T0 + timedelta(seconds=1))
        found.close(ActionStatus.DROPPED, T0 + timedelta(hours=1), None)
        await uow.actions.save(found)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.actions.get("s1", 1)
        assert found is not None and found.status is ActionStatus.DROPPED
        assert found.closing_note is None and not found.overdue(T0 + timedelta(days=1))

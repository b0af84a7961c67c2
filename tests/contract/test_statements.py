"""Statements: every revision of a challenge or goal, kept apart by owner and kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.errors import Conflict
from bot.model import Statement
from bot.ports import UnitOfWorkFactory
from tests.confidential import PLANTED
from tests.records import T0, a_set


def revision(n: int, owner: str | None = "u1", kind: str = "challenge") -> Statement:
    text = f"{kind} v{n} {PLANTED}"
    return Statement("s1", owner, kind, n, text, T0 + timedelta(days=n), owner or "u9")  # type: ignore[arg-type]


async def test_history_is_every_revision_oldest_first(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        for statement in (revision(2), revision(1), revision(1, None), revision(1, kind="goal")):
            await uow.statements.add(statement)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.statements.history("s1", "u1", "challenge") == [revision(1), revision(2)]
        assert await uow.statements.history("s1", None, "challenge") == [revision(1, None)]
        assert await uow.statements.history("s1", "u1", "goal") == [revision(1, kind="goal")]
        assert await uow.statements.history("s1", "u2", "challenge") == []


async def test_a_revision_written_twice_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    """Two members revising at once both write revision 2: the second must not be kept."""
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.statements.add(revision(1))
        await uow.commit()
    async with uow_factory() as first:
        with pytest.raises(Conflict):
            async with uow_factory() as second:
                await first.statements.add(revision(2))
                await first.commit()
                await second.statements.add(replace(revision(2), text="theirs", written_by="u2"))
                await second.commit()
    async with uow_factory() as uow:
        assert await uow.statements.history("s1", "u1", "challenge") == [revision(1), revision(2)]

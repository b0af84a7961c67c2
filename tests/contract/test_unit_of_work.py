"""The unit of work: one transaction; only `commit` saves, and concurrent ones merge."""

from __future__ import annotations

import pytest

from bot.errors import Conflict
from bot.model import Person
from bot.ports import UnitOfWorkFactory
from tests.records import a_set


async def test_commit_saves_for_the_next_unit_of_work(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.people.save(Person("u1", "Fay"))
        assert await uow.people.get("u1") == Person("u1", "Fay"), "a write is read back at once"
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.people.get("u1") == Person("u1", "Fay")


async def test_leaving_without_commit_saves_nothing(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.people.save(Person("u1", "Fay"))
    async with uow_factory() as uow:
        assert await uow.sets.get("s1") is None
        assert await uow.people.get("u1") is None


async def test_an_error_inside_saves_nothing_and_is_raised(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with uow_factory() as uow:
            await uow.people.save(Person("u1", "Fay"))
            raise RuntimeError("boom")
    async with uow_factory() as uow:
        assert await uow.people.get("u1") is None


async def test_rollback_forgets_what_was_not_committed(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.people.save(Person("u1", "Fay"))
        await uow.commit()
        await uow.people.save(Person("u1", "Renamed"))
        await uow.people.save(Person("u2", "Gus"))
        await uow.rollback()
        assert await uow.people.get("u1") == Person("u1", "Fay")
        assert await uow.people.get("u2") is None
        await uow.people.save(Person("u3", "Hal"))  # the unit of work goes on after a rollback
        await uow.commit()
    async with uow_factory() as uow:
        assert [await uow.people.get(u) for u in ("u1", "u2", "u3")] == [
            Person("u1", "Fay"),
            None,
            Person("u3", "Hal"),
        ]


async def test_writes_after_a_commit_need_their_own(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.people.save(Person("u1", "Fay"))
        await uow.commit()
        await uow.people.save(Person("u1", "Renamed"))
    async with uow_factory() as uow:
        assert await uow.people.get("u1") == Person("u1", "Fay")


async def test_a_loaded_record_changes_only_when_saved(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.sets.get("s1")
        assert loaded is not None
        loaded.name = "Changed but not saved"
        assert (await uow.sets.get("s1")) == a_set()
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sets.get("s1") == a_set()


async def test_concurrent_units_of_work_keep_each_others_writes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as first, uow_factory() as second:
        await first.people.save(Person("u1", "Fay"))
        await first.commit()
        await second.people.save(Person("u2", "Gus"))
        await second.commit()
    async with uow_factory() as uow:
        assert await uow.people.get("u1") == Person("u1", "Fay")
        assert await uow.people.get("u2") == Person("u2", "Gus")


async def test_a_clash_with_a_concurrent_commit_is_a_conflict_that_saves_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as first:
        with pytest.raises(Conflict, match="at the same moment"):
            async with uow_factory() as second:
                # Both looked before either wrote: each sees no set in the place.
                assert await first.sets.get_by_place("p1") is None
                assert await second.sets.get_by_place("p1") is None
                await first.sets.add(a_set(id="s1"))
                await first.commit()
                await second.people.save(Person("u2", "Gus"))
                await second.sets.add(a_set(id="s2"))  # the same place: a unique clash
                await second.commit()
    async with uow_factory() as uow:
        kept = await uow.sets.get_by_place("p1")
        assert kept is not None and kept.id == "s1"
        assert await uow.sets.get("s2") is None
        assert await uow.people.get("u2") is None, "the loser saved nothing at all"

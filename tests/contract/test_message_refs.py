"""Remembered messages: a key names one message's platform ref, found both ways."""

from __future__ import annotations

from bot.ports import UnitOfWorkFactory


async def test_a_ref_is_found_by_key_and_the_key_by_place_and_ref(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.message_refs.remember("round:r1", "p1", "1700000000.000100")
        await uow.message_refs.remember("round:r2", "p2", "1700000000.000100")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.message_refs.ref_of("round:r1") == "1700000000.000100"
        assert await uow.message_refs.key_of("p1", "1700000000.000100") == "round:r1"
        assert await uow.message_refs.key_of("p2", "1700000000.000100") == "round:r2"
        assert await uow.message_refs.key_of("p1", "other") is None
        assert await uow.message_refs.ref_of("round:nope") is None


async def test_remembering_a_key_again_replaces_its_ref(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.message_refs.remember("round:r1", "p1", "old")
        await uow.commit()
    async with uow_factory() as uow:
        await uow.message_refs.remember("round:r1", "p1", "new")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.message_refs.ref_of("round:r1") == "new"
        assert await uow.message_refs.key_of("p1", "old") is None
        assert await uow.message_refs.key_of("p1", "new") == "round:r1"


async def test_nothing_is_remembered_without_commit(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.message_refs.remember("round:r1", "p1", "ref")
    async with uow_factory() as uow:
        assert await uow.message_refs.ref_of("round:r1") is None

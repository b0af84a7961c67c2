"""Contributions: a member's messages in a set's place, by place and message id."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.model import Contribution
from bot.ports import UnitOfWorkFactory
from tests.confidential import PLANTED
from tests.records import T0, a_set


def said(message_id: str, minutes: int, thread_id: str | None = "t1") -> Contribution:
    posted_at = T0 + timedelta(minutes=minutes)
    return Contribution(
        "s1", "p1", message_id, "u1", f"{message_id} {PLANTED}", posted_at, thread_id
    )


async def test_a_thread_in_posting_order_without_deleted_messages(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        for contribution in (said("m2", 2), said("m0", 0), said("m1", 1), said("m3", 3, "t2")):
            await uow.contributions.save(contribution)
        await uow.contributions.delete("p1", "m1")
        await uow.contributions.delete("p1", "never-posted")  # a no-op
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.contributions.list_thread("p1", "t1") == [said("m0", 0), said("m2", 2)]
        assert await uow.contributions.list_thread("p1", "t2") == [said("m3", 3, "t2")]
        assert await uow.contributions.list_thread("p2", "t1") == []
        assert await uow.contributions.get("p1", "m1") is None


async def test_an_edit_replaces_the_text(uow_factory: UnitOfWorkFactory) -> None:
    edited = replace(said("m0", 0), text="edited", edited_at=T0 + timedelta(hours=1))
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.contributions.save(said("m0", 0))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.contributions.get("p1", "m0") == said("m0", 0)
        await uow.contributions.save(edited)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.contributions.get("p1", "m0") == edited
        assert await uow.contributions.list_thread("p1", "t1") == [edited]

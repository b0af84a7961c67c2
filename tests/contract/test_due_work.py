"""The due-work queue: scheduling is idempotent by key, cancelling frees the key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.duework import DueWork
from bot.ports import UnitOfWorkFactory
from tests.records import T0

Queued = Callable[[], Awaitable[dict[str, str | None]]]
"""The `queued` fixture: due work waiting to be done, user id by key."""


def work(key: str, user_id: str = "u1") -> DueWork:
    return DueWork("test.kind", key, T0 + timedelta(hours=1), "s1", user_id, "m1")


async def test_scheduling_a_key_twice_queues_it_once(
    uow_factory: UnitOfWorkFactory, queued: Queued
) -> None:
    async with uow_factory() as uow:
        await uow.due_work.schedule(work("a"))
        await uow.due_work.schedule(work("a", "u2"))  # the same key: the first stays
        await uow.due_work.schedule(work("b"))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.due_work.schedule(work("a", "u3"))  # and in a later unit of work
        await uow.commit()
    assert await queued() == {"a": "u1", "b": "u1"}


async def test_cancelling_forgets_the_work_and_frees_its_key(
    uow_factory: UnitOfWorkFactory, queued: Queued
) -> None:
    async with uow_factory() as uow:
        await uow.due_work.schedule(work("a"))
        await uow.due_work.schedule(work("b"))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.due_work.cancel("a")
        await uow.due_work.cancel("a")  # twice: a no-op
        await uow.due_work.cancel("never-scheduled")  # a no-op
        await uow.commit()
    assert await queued() == {"b": "u1"}
    async with uow_factory() as uow:
        await uow.due_work.schedule(work("a", "u2"))  # the key is free again
        await uow.commit()
    assert await queued() == {"a": "u2", "b": "u1"}


async def test_scheduled_then_cancelled_in_one_unit_of_work_leaves_nothing(
    uow_factory: UnitOfWorkFactory, queued: Queued
) -> None:
    async with uow_factory() as uow:
        await uow.due_work.schedule(work("a"))
        await uow.due_work.cancel("a")
        await uow.due_work.schedule(work("b"))
        await uow.commit()
    assert await queued() == {"b": "u1"}


async def test_work_is_queued_only_with_the_commit(
    uow_factory: UnitOfWorkFactory, queued: Queued
) -> None:
    async with uow_factory() as uow:
        await uow.due_work.schedule(work("a"))
    assert await queued() == {}
    async with uow_factory() as uow:
        await uow.due_work.schedule(work("a"))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.due_work.cancel("a")  # not committed: still queued
    assert await queued() == {"a": "u1"}

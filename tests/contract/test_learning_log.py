"""Each person's private learning log, on every store."""

from __future__ import annotations

from datetime import timedelta

from bot.model import EntryKind, LearningLogEntry
from bot.ports import UnitOfWorkFactory
from tests.confidential import PLANTED
from tests.records import T0, a_set


def entry(
    n: int,
    author: str = "u2",
    *,
    minutes: int = 0,
    kind: EntryKind = EntryKind.NOTE,
    set_id: str | None = "s1",
) -> LearningLogEntry:
    at = T0 + timedelta(minutes=minutes)
    return LearningLogEntry(f"log:{n}", author, kind, f"entry {n} {PLANTED}", at, set_id)


async def test_a_persons_entries_in_every_set_oldest_first_and_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.learning_log.add(entry(2, minutes=5, kind=EntryKind.CHECKIN_NEXT))
        await uow.learning_log.add(entry(1, minutes=1, set_id=None))
        await uow.learning_log.add(entry(3, "u3", minutes=2))
        await uow.commit()
    async with uow_factory() as uow:
        again = entry(1, minutes=1, set_id=None)
        await uow.learning_log.add(  # the same entry delivered twice: kept as it was
            LearningLogEntry(again.id, again.author_id, again.kind, "twice", again.written_at)
        )
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.learning_log.of_author("u2") == [
            entry(1, minutes=1, set_id=None),
            entry(2, minutes=5, kind=EntryKind.CHECKIN_NEXT),
        ]
        assert await uow.learning_log.of_author("u3") == [entry(3, "u3", minutes=2)]
        assert await uow.learning_log.of_author("u9") == []


async def test_an_entry_rolled_back_is_not_kept(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.commit()
    async with uow_factory() as uow:
        await uow.learning_log.add(entry(1))
    async with uow_factory() as uow:
        assert await uow.learning_log.of_author("u2") == []

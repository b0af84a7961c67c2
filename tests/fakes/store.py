"""The in-memory unit of work and the store it commits to."""

from __future__ import annotations

import copy
from types import TracebackType

from tests.fakes.repositories import (
    MemoryBids,
    MemoryContributions,
    MemoryData,
    MemoryDueWork,
    MemoryGuests,
    MemoryMeetings,
    MemoryMemberships,
    MemoryPeople,
    MemoryPersonSettings,
    MemorySetOptions,
    MemorySets,
    MemorySponsors,
    MemoryStatements,
)


class MemoryUnitOfWork:
    """Works on a copy of the committed data; `commit` publishes it."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    async def __aenter__(self) -> MemoryUnitOfWork:
        self.data = copy.deepcopy(self.store.committed)
        self.sets = MemorySets(self.data)
        self.people = MemoryPeople(self.data)
        self.memberships = MemoryMemberships(self.data)
        self.contributions = MemoryContributions(self.data)
        self.statements = MemoryStatements(self.data)
        self.meetings = MemoryMeetings(self.data)
        self.guests = MemoryGuests(self.data)
        self.sponsors = MemorySponsors(self.data)
        self.bids = MemoryBids(self.data)
        self.person_settings = MemoryPersonSettings(self.data)
        self.set_options = MemorySetOptions(self.data)
        self.due_work = MemoryDueWork(self.data)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        self.store.committed = copy.deepcopy(self.data)
        self.store.commits += 1

    async def rollback(self) -> None:
        self.data = copy.deepcopy(self.store.committed)


class MemoryStore:
    def __init__(self) -> None:
        self.committed = MemoryData()
        self.commits = 0

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

"""The in-memory unit of work and the store it commits to."""

from __future__ import annotations

import copy
from dataclasses import fields
from types import TracebackType

from tests.fakes.repositories import (
    MemoryActions,
    MemoryBids,
    MemoryContributions,
    MemoryData,
    MemoryDueWork,
    MemoryFishbowlNotes,
    MemoryGuests,
    MemoryHeldMeetings,
    MemoryInbox,
    MemoryLearningLog,
    MemoryMeetings,
    MemoryMemberships,
    MemoryMessageRefs,
    MemoryNudges,
    MemoryOutbox,
    MemoryPeople,
    MemoryPersonalData,
    MemoryPersonSettings,
    MemoryReportBacks,
    MemoryRetention,
    MemoryRoundMessages,
    MemoryRounds,
    MemorySetOptions,
    MemorySets,
    MemorySponsors,
    MemoryStatements,
    clash,
    guest_key,
    unique_clashes,
)

INSERTED_ONCE = ("sets", "meetings", "held_meetings", "rounds", "actions")
"""Tables whose records are added, not upserted: a concurrent add of the same id clashes."""
FIRST_WINS = ("due_work", "fishbowl_notes", "learning_log")
"""Tables where scheduling a key that is already there is a no-op."""
LISTS = ("statements", "guests")
"""Append-only tables: a unit of work's new records are those past the ones it began with."""
VERSIONED = ("rounds",)
"""Tables saved only over the version a unit of work read: a concurrent change clashes."""


def merge(into: MemoryData, began: MemoryData, now: MemoryData) -> None:
    """Apply to `into` what changed from `began` to `now`, as one SQL transaction would.

    A record written by a concurrent unit of work is kept unless this one wrote the same
    record (then the last writer wins); raises `Conflict` where the SQL store's keys would.
    """
    for name in (f.name for f in fields(MemoryData)):
        target, before, after = getattr(into, name), getattr(began, name), getattr(now, name)
        if isinstance(target, set):
            target |= after - before
            continue
        if name in LISTS:
            for record in after[len(before) :]:
                if name == "statements" or all(guest_key(g) != guest_key(record) for g in target):
                    target.append(record)  # a statement clashing is found below
            continue
        for key in before.keys() - after.keys():
            target.pop(key, None)
        for key, record in after.items():
            if key in before and before[key] == record:
                continue
            if name in VERSIONED and key in before and target.get(key) != before[key]:
                raise clash()
            if key not in before and key in target:
                if name in INSERTED_ONCE:
                    raise clash()
                if name in FIRST_WINS:
                    continue
            target[key] = record
    if unique_clashes(into):
        raise clash()


class MemoryUnitOfWork:
    """Works on a copy of the committed data; `commit` merges its changes into the store.

    Like a SQL transaction: nothing is saved without `commit` (leaving the block, an error,
    `rollback`); concurrent units of work keep each other's writes; a change that clashes
    with a unique key raises `Conflict` and saves nothing.
    """

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    async def __aenter__(self) -> MemoryUnitOfWork:
        self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
        merged = copy.deepcopy(self.store.committed)
        merge(merged, self.began, self.data)
        self.store.committed = merged
        self.store.commits += 1
        self._begin()

    async def rollback(self) -> None:
        self._begin()

    def _begin(self) -> None:
        """Start a transaction: a fresh copy of what is committed, and repositories over it."""
        self.began = copy.deepcopy(self.store.committed)
        self.data = copy.deepcopy(self.began)
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
        self.held_meetings = MemoryHeldMeetings(self.data)
        self.rounds = MemoryRounds(self.data)
        self.round_messages = MemoryRoundMessages(self.data)
        self.due_work = MemoryDueWork(self.data)
        self.inbox = MemoryInbox(self.data)
        self.outbox = MemoryOutbox(self.data)
        self.message_refs = MemoryMessageRefs(self.data)
        self.fishbowl_notes = MemoryFishbowlNotes(self.data)
        self.actions = MemoryActions(self.data)
        self.learning_log = MemoryLearningLog(self.data)
        self.nudges = MemoryNudges(self.data)
        self.report_backs = MemoryReportBacks(self.data)
        self.personal_data = MemoryPersonalData(self.data)
        self.retention = MemoryRetention(self.data)


class MemoryStore:
    def __init__(self) -> None:
        self.committed = MemoryData()
        self.commits = 0

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

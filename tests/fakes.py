"""In-memory fakes of the core's ports, for unit tests (no mocks)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType

from bot.duework import DueWork
from bot.messages import Form, Message
from bot.model import Contribution, LearningSet, Membership, Person


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


@dataclass
class MemoryData:
    sets: dict[str, LearningSet] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: dict[tuple[str, str], Membership] = field(default_factory=dict)
    contributions: dict[tuple[str, str], Contribution] = field(default_factory=dict)
    due_work: dict[str, DueWork] = field(default_factory=dict)


class MemorySets:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, set_id: str) -> LearningSet | None:
        return copy.copy(self.data.sets.get(set_id))

    async def get_by_place(self, place_id: str) -> LearningSet | None:
        found = [s for s in self.data.sets.values() if s.place_id == place_id]
        return copy.copy(found[0]) if found else None

    async def add(self, learning_set: LearningSet) -> None:
        assert learning_set.id not in self.data.sets
        self.data.sets[learning_set.id] = copy.copy(learning_set)

    async def save(self, learning_set: LearningSet) -> None:
        self.data.sets[learning_set.id] = copy.copy(learning_set)


class MemoryPeople:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, user_id: str) -> Person | None:
        return copy.copy(self.data.people.get(user_id))

    async def save(self, person: Person) -> None:
        self.data.people[person.user_id] = copy.copy(person)


class MemoryMemberships:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, set_id: str, user_id: str) -> Membership | None:
        return copy.copy(self.data.memberships.get((set_id, user_id)))

    async def list_active(self, set_id: str) -> list[Membership]:
        return [
            copy.copy(m)
            for (sid, _), m in sorted(self.data.memberships.items(), key=lambda kv: kv[1].joined_at)
            if sid == set_id and m.active
        ]

    async def save(self, membership: Membership) -> None:
        self.data.memberships[(membership.set_id, membership.user_id)] = copy.copy(membership)


class MemoryContributions:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, place_id: str, message_id: str) -> Contribution | None:
        return copy.copy(self.data.contributions.get((place_id, message_id)))

    async def save(self, contribution: Contribution) -> None:
        key = (contribution.place_id, contribution.message_id)
        self.data.contributions[key] = copy.copy(contribution)

    async def delete(self, place_id: str, message_id: str) -> None:
        self.data.contributions.pop((place_id, message_id), None)

    async def list_thread(self, place_id: str, thread_id: str) -> list[Contribution]:
        found = [
            c
            for c in self.data.contributions.values()
            if c.place_id == place_id and c.thread_id == thread_id
        ]
        return [copy.copy(c) for c in sorted(found, key=lambda c: c.posted_at)]


class MemoryDueWork:
    """Pending due work by key (delivery is the SQL store's business, tested there)."""

    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def schedule(self, item: DueWork) -> None:
        self.data.due_work.setdefault(item.key, item)

    async def cancel(self, key: str) -> None:
        self.data.due_work.pop(key, None)


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


@dataclass
class Sent:
    method: str
    target: str | None
    message: Message
    user_id: str | None = None
    thread_id: str | None = None


class RecordingGateway:
    """Records every send, in order."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.forms: list[tuple[str, Form]] = []

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        self.sent.append(Sent("post", place_id, message, thread_id=thread_id))
        return f"ref{len(self.sent)}"

    async def post_private(self, place_id: str | None, user_id: str, message: Message) -> None:
        self.sent.append(Sent("private", place_id, message, user_id=user_id))

    async def direct(self, user_id: str, message: Message) -> str:
        self.sent.append(Sent("direct", None, message, user_id=user_id))
        return f"ref{len(self.sent)}"

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        self.sent.append(Sent("update", place_id, message, thread_id=message_ref))

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        self.forms.append((user_id, form))

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self.sent.append(Sent("file", filename, Message.text(content.decode()), user_id=user_id))

"""Delivery remembers the refs of named messages, updates them in place, threads under them."""

from __future__ import annotations

from bot.delivery import StoredRefs, deliver
from bot.messages import Direct, Message, Outcome, Outgoing, Private, Public, Update
from tests.fakes import MemoryStore, RecordingGateway


class Book:
    def __init__(self) -> None:
        self.refs: dict[str, tuple[str, str]] = {}

    async def remember(self, key: str, place_id: str, ref: str) -> None:
        self.refs[key] = (place_id, ref)

    async def ref_of(self, key: str) -> str | None:
        found = self.refs.get(key)
        return found[1] if found else None


def say(text: str, to: Public | Private | Direct, remember: str | None = None) -> Outgoing:
    return Outgoing(to, Message.text(text), remember=remember)


async def test_a_remembered_post_is_updated_in_place_and_threaded_under() -> None:
    gateway, book = RecordingGateway(), Book()
    await deliver(gateway, Outcome((say("round", Public("p1"), remember="round:r1"),)), book)
    assert book.refs == {"round:r1": ("p1", "ref1")}
    later = Outcome(
        (
            say("round, questions", Update("p1", remembered="round:r1")),
            say("5 minutes left", Public("p1", thread_of="round:r1")),
        )
    )
    await deliver(gateway, later, book)
    update, reply = gateway.sent[1:]
    assert (update.method, update.target, update.thread_id) == ("update", "p1", "ref1")
    assert (reply.method, reply.thread_id) == ("post", "ref1")


async def test_an_unknown_ref_posts_instead_and_is_then_remembered() -> None:
    gateway, book = RecordingGateway(), Book()
    outcome = Outcome(
        (
            say("round, questions", Update("p1", remembered="round:r9")),
            say("in the thread", Public("p1", thread_of="round:r8")),
        )
    )
    await deliver(gateway, outcome, book)
    posted, reply = gateway.sent
    assert posted.method == "post" and posted.thread_id is None
    assert reply.method == "post" and reply.thread_id is None  # top level, not lost
    assert book.refs["round:r9"] == ("p1", "ref1")  # the new post stands for the old one


async def test_without_a_ref_book_updates_are_posts_and_nothing_crashes() -> None:
    gateway = RecordingGateway()
    outcome = Outcome(
        (
            say("a", Public("p1"), remember="k"),
            say("b", Update("p1", remembered="k")),
            say("c", Direct("u1"), remember="dm"),
            say("d", Private("u1", "p1"), remember="ignored"),
        )
    )
    await deliver(gateway, outcome)
    assert [s.method for s in gateway.sent] == ["post", "post", "direct", "private"]


async def test_stored_refs_keep_refs_in_the_store() -> None:
    store = MemoryStore()
    gateway = RecordingGateway()
    refs = StoredRefs(store)
    await deliver(gateway, Outcome((say("round", Public("p1"), remember="round:r1"),)), refs)
    assert store.committed.message_refs == {"round:r1": ("p1", "ref1")}
    await deliver(gateway, Outcome((say("x", Update("p1", remembered="round:r1")),)), refs)
    assert gateway.sent[-1].method == "update"

"""Messages in a set's place reach the core: posted, edited, deleted."""

from __future__ import annotations

from bot.dispatch import Core, handle_event
from bot.events import MessageDeleted, MessageEdited, MessagePosted
from bot.model import Actor
from tests.confidential import PLANTED
from tests.fakes import MemoryStore
from tests.unit.talk import OTHER_ROOM, ROOM, say, uid


def posted(name: str, message_id: str, text: str, place=ROOM, thread: str | None = "t1"):  # type: ignore[no-untyped-def]
    return MessagePosted(place, Actor(uid(name), name), message_id, text, thread_id=thread)


async def test_a_members_thread_message_is_recorded_then_edited_then_deleted(
    core: Core, store: MemoryStore
) -> None:
    await say(core, "fay", "create")
    await say(core, "ann", "join")
    await handle_event(core, posted("ann", "m1", f"What matters most? {PLANTED}"))
    (c,) = store.committed.contributions.values()
    assert (c.author_id, c.thread_id, c.text) == (uid("ann"), "t1", f"What matters most? {PLANTED}")
    await handle_event(core, MessageEdited(ROOM, "m1", "What matters most to you?"))
    (c,) = store.committed.contributions.values()
    assert c.text == "What matters most to you?" and c.edited_at is not None
    await handle_event(core, MessageDeleted(ROOM, "m1"))
    assert store.committed.contributions == {}


async def test_a_doubled_delivery_is_recorded_once(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create")
    await handle_event(core, posted("fay", "m1", "first"))
    await handle_event(core, posted("fay", "m1", "second copy"))
    (c,) = store.committed.contributions.values()
    assert c.text == "first"


async def test_outsiders_and_non_set_places_are_not_recorded(
    core: Core, store: MemoryStore
) -> None:
    await say(core, "fay", "create")
    await handle_event(core, posted("zed", "m1", "not a member"))
    await handle_event(core, posted("fay", "m2", "no set here", place=OTHER_ROOM))
    assert store.committed.contributions == {}

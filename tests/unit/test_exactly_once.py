"""Effects exactly once (bot.outbox): with a receipt, a command's changes, its inbox row
marked handled and its queued replies commit together — or not at all."""

from __future__ import annotations

import pytest

from bot.dispatch import Core, handle_command, handle_event, handle_form
from bot.events import MessagePosted
from bot.model import Actor
from bot.outbox import Receipt
from tests.fakes import FakeClock, MemoryStore
from tests.fakes.store import MemoryUnitOfWork
from tests.unit.talk import ROOM, ctx_for, say

RECEIPT = Receipt("slack", ("event:Ev1", "message:T1:C1:1.0"))


async def test_changes_receipt_and_replies_commit_in_one_transaction(
    core: Core, store: MemoryStore
) -> None:
    before = store.commits
    outcome = await handle_command(core, ctx_for("fay"), "create Ward leaders", RECEIPT)
    assert store.commits == before + 1
    data = store.committed
    assert len(data.sets) == 1
    assert set(data.handled) == {"slack:event:Ev1", "slack:message:T1:C1:1.0"}
    ids = [o.outbox_id for o in outcome.messages]
    assert ids and all(ids) and set(ids) == set(data.outbox)
    for item in outcome.messages:
        stored = data.outbox[item.outbox_id or ""]
        assert stored == item
        assert item.message.key == item.outbox_id  # travels as message metadata


async def test_a_mistake_queues_its_answer_and_marks_the_delivery_handled(
    core: Core, store: MemoryStore
) -> None:
    await say(core, "fay", "create Ward leaders")
    sets_before = dict(store.committed.sets)
    outcome = await handle_command(core, ctx_for("zed"), "close", RECEIPT)
    (answer,) = outcome.messages
    assert answer.message.kind == "error" and answer.outbox_id in store.committed.outbox
    assert "slack:event:Ev1" in store.committed.handled
    assert store.committed.sets == sets_before  # the refused command changed nothing


async def test_a_form_and_an_event_settle_the_same_way(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders")
    await say(core, "ann", "join")
    await say(core, "ann", "agree")
    form = Receipt("slack", ("trigger:abc",))
    outcome = await handle_form(core, ctx_for("ann"), "goal", {"text": "listen"}, form)
    assert "slack:trigger:abc" in store.committed.handled
    assert [o.outbox_id for o in outcome.messages] == list(store.committed.outbox)[-1:]
    posted = MessagePosted(ROOM, Actor("test:ann", "ann"), "9.0", "a question?", "1.0")
    event = Receipt("slack", ("event:Ev9",))
    await handle_event(core, posted, event)
    assert "slack:event:Ev9" in store.committed.handled


class DiesAtCommit(Exception):
    pass


class DyingStore(MemoryStore):
    """A store whose next commit dies (the process killed as it commits)."""

    dying = False

    def __call__(self) -> MemoryUnitOfWork:
        uow = super().__call__()
        if self.dying:

            async def die() -> None:
                raise DiesAtCommit

            uow.commit = die  # type: ignore[method-assign]
        return uow


async def test_a_crash_before_the_commit_applies_nothing() -> None:
    """The delivery is not marked handled, so its replay runs it — and nothing of the
    first attempt was applied: the command takes effect once."""
    store = DyingStore()
    core = Core(uow=store, clock=FakeClock())
    store.dying = True
    with pytest.raises(DiesAtCommit):
        await handle_command(core, ctx_for("fay"), "create Ward leaders", RECEIPT)
    assert store.committed.sets == {} and store.committed.handled == {}
    assert store.committed.outbox == {}
    store.dying = False
    await handle_command(core, ctx_for("fay"), "create Ward leaders", RECEIPT)  # the replay
    assert len(store.committed.sets) == 1 and "slack:event:Ev1" in store.committed.handled

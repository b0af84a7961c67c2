"""The private learning log: entries kept for their author alone, in the right set, and
exported as a Markdown file sent only to them."""

from __future__ import annotations

from bot.dispatch import Core, handle_command
from bot.messages import Direct, Private
from bot.model import EntryKind
from bot.outbox import Receipt
from tests.confidential import PLANTED
from tests.fakes import MemoryStore
from tests.unit.rounds_harness import a_set
from tests.unit.talk import (
    DM,
    OTHER_ROOM,
    ctx_for,
    is_error,
    private_to,
    public_in,
    say,
    texts,
    uid,
)


def entries_of(store: MemoryStore, name: str) -> list[tuple[str | None, EntryKind, str]]:
    found = [e for e in store.committed.learning_log.values() if e.author_id == uid(name)]
    return [(e.set_id, e.kind, e.text) for e in sorted(found, key=lambda e: e.written_at)]


def set_id(store: MemoryStore, name: str = "Ward leaders") -> str:
    (found,) = [s.id for s in store.committed.sets.values() if s.name == name]
    return found


async def test_an_entry_is_kept_for_its_author_and_never_said_in_the_channel(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann", "ben")
    outcome = await say(core, "ann", f"log I rushed in {PLANTED}")
    assert not is_error(outcome)
    assert public_in(outcome) == []
    assert all(isinstance(o.to, Private) and o.to.user_id == uid("ann") for o in outcome.messages)
    assert "Kept in your learning log; only you can read it" in private_to(outcome, "ann")[0]
    assert not any(PLANTED in t for t in texts(outcome))  # not even echoed back
    assert entries_of(store, "ann") == [(set_id(store), EntryKind.NOTE, f"I rushed in {PLANTED}")]
    assert entries_of(store, "ben") == []


async def test_the_set_of_an_entry_written_elsewhere(core: Core, store: MemoryStore) -> None:
    await a_set(core, "ann")
    # in a 1:1 chat, a person in one set writes for that set
    assert not is_error(await say(core, "ann", "log from my desk", place=DM))
    # an outsider in a set's place, or someone in no set, writes for no set
    assert not is_error(
        await say(
            core,
            "zed",
            "log watching",
        )
    )
    assert not is_error(await say(core, "zed", "log alone", place=DM))
    assert not is_error(await say(core, "fay", "create Second", place=OTHER_ROOM))
    # a facilitator of two sets, in a 1:1 chat: no one set
    assert not is_error(await say(core, "fay", "log two sets", place=DM))
    assert entries_of(store, "ann") == [(set_id(store), EntryKind.NOTE, "from my desk")]
    assert [s for s, _, _ in entries_of(store, "zed")] == [None, None]
    assert [s for s, _, _ in entries_of(store, "fay")] == [None]


async def test_an_empty_entry_is_refused_with_an_example(core: Core, store: MemoryStore) -> None:
    await a_set(core, "ann")
    refused = await say(core, "ann", "log")
    assert is_error(refused)
    answer = private_to(refused, "ann")
    assert "Write what you want to keep in your log." in answer[0]
    assert "Example: `/set log I rushed in`" in answer[-1]
    assert entries_of(store, "ann") == []


async def test_export_sends_only_the_speakers_log_as_a_markdown_file(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann", "ben")
    await say(core, "ann", f"log I rushed in {PLANTED}")
    await say(core, "ben", "log ben's own thought")
    await say(core, "ann", "commit talk to the rota team")
    await say(core, "ann", "progress 1 met Sam")
    await say(core, "ben", "commit ben's action")
    outcome = await say(core, "ann", "log export")
    assert not is_error(outcome) and public_in(outcome) == []
    (sent,) = outcome.messages
    assert isinstance(sent.to, Private | Direct) and sent.to.user_id == uid("ann")
    attachment = sent.message.attachment
    assert attachment is not None and attachment.filename.endswith(".md")
    markdown = attachment.content.decode()
    assert markdown.startswith("# Learning log — ann")
    assert f"> I rushed in {PLANTED}\n" in markdown
    assert (
        "### Action 1 · Ward leaders (open)" in markdown and "> talk to the rota team" in markdown
    )
    assert "- progress " in markdown and ": met Sam" in markdown
    assert "ben" not in markdown.replace("# Learning log — ann", "")
    assert "1 entry, 1 action" in private_to(outcome, "ann")[0]


async def test_closing_a_meeting_asks_each_facilitator_privately_for_a_reflection(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann", "ben")
    assert not is_error(await say(core, "fay", "add <@test:gil> as facilitator"))
    await say(core, "gil", "agree")
    await say(core, "fay", "meeting start")
    outcome = await say(core, "fay", "meeting end")
    prompts = [o for o in outcome.messages if isinstance(o.to, Direct)]
    assert sorted(o.to.user_id for o in prompts if isinstance(o.to, Direct)) == [
        uid("fay"),
        uid("gil"),
    ]
    for prompt in prompts:
        words = texts(type(outcome)((prompt,)))[0]
        assert "For your reflective log" in words and "`log YOUR REFLECTION`" in words
    assert not any("reflective log" in t for t in public_in(outcome))
    # the facilitator's reply from the 1:1 chat lands in their log, for this set
    assert not is_error(await say(core, "gil", f"log I held back too long {PLANTED}", place=DM))
    assert entries_of(store, "gil") == [
        (set_id(store), EntryKind.NOTE, f"I held back too long {PLANTED}")
    ]


async def test_the_reflection_prompts_are_queued_with_the_closing_itself(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    await say(core, "fay", "meeting start")
    receipt = Receipt("test", ("event:end",))
    outcome = await handle_command(core, ctx_for("fay"), "meeting end", receipt)
    queued = [store.committed.outbox[o.outbox_id] for o in outcome.messages if o.outbox_id]
    assert len(queued) == len(outcome.messages)  # every reply, prompt included, is in the outbox
    assert [o.to for o in queued if isinstance(o.to, Direct)] == [Direct(uid("fay"))]
    assert store.committed.outbox_origins == {receipt.origin: 1}
    assert all(not m.is_open for m in store.committed.held_meetings.values())

"""Commands written to Revans in a 1:1 chat (a Slack DM): a message whose first word is a
verb runs as that command, with its private answer there; other words are left to the
fishbowl, and nothing else is stored."""

from __future__ import annotations

from bot.dispatch import Core, handle_event
from bot.events import MessagePosted
from bot.model import Actor, Place, PlaceKind
from tests.fakes import MemoryStore
from tests.unit.rounds_harness import a_set
from tests.unit.talk import private_to, say, uid

DM = Place("test:dm-ann", PlaceKind.PERSONAL, "test")


def dm(text: str, n: int = 1, thread: str | None = None) -> MessagePosted:
    return MessagePosted(DM, Actor(uid("ann"), "ann"), f"m{n}", text, thread)


async def test_a_verb_in_a_direct_message_runs_as_that_command(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    await say(core, "ann", "commit call the rota team")
    logged = await handle_event(core, dm("log asking first changed everything"))
    assert "Kept in your learning log" in private_to(logged, "ann")[0]
    assert [e.text for e in store.committed.learning_log.values()] == [
        "asking first changed everything"
    ]
    helped = await handle_event(core, dm("Help", 2))
    assert private_to(helped, "ann") and not store.committed.contributions


async def test_other_words_are_not_commands_and_store_nothing(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    before = len(store.committed.learning_log)
    for n, text in enumerate(("thanks!", "  ", "logging off now"), 1):
        assert (await handle_event(core, dm(text, n))).messages == ()
    assert len(store.committed.learning_log) == before and not store.committed.contributions


async def test_a_mistake_in_a_direct_command_is_answered_privately(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    answer = private_to(await handle_event(core, dm("actions everyone")), "ann")
    assert answer and "actions" in answer[0]

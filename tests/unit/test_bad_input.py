"""Every kind of bad input, spoken to the core by a facilitator of a working set: a private
answer with a correct example, and nothing stored changes (not even the speaker's name)."""

from __future__ import annotations

import copy

import pytest

from bot.dispatch import Core
from bot.messages import Private
from tests.fakes import FakeClock, MemoryStore
from tests.unit.bad_commands import BAD
from tests.unit.talk import private_to, say, texts


async def a_working_set(core: Core) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    for name in ("ann", "bo"):
        await say(core, name, "join")
        await say(core, name, "agree")
    await say(core, "fay", "schedule every 2 weeks on Tuesday at 14:00 for 2 meetings")
    await say(core, "fay", "Renamed Fay")  # an unknown word: refused, remembered nothing


@pytest.mark.parametrize("text", [t for t, _ in BAD], ids=[t for t, _ in BAD])
async def test_bad_input_is_answered_privately_and_changes_nothing(text: str) -> None:
    store = MemoryStore()
    core = Core(uow=store, clock=FakeClock())
    await a_working_set(core)
    before, commits = copy.deepcopy(store.committed), store.commits
    outcome = await say(core, "fay", text, tz="Asia/Tokyo")  # a new profile zone, too
    assert all(isinstance(o.to, Private) for o in outcome.messages), texts(outcome)
    (answer,) = private_to(outcome, "fay")
    assert "\nExample: `/set " in answer
    assert all(o.message.kind == "error" for o in outcome.messages)
    assert store.committed == before and store.commits == commits


async def test_help_for_schedule_states_the_daylight_saving_rules(core: Core) -> None:
    (text,) = private_to(await say(core, "fay", "help schedule"), "fay")
    assert "moves forward by the gap" in text and "the first of the two" in text
    assert "12 meetings or 6 months" in text

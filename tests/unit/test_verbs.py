"""A verb is one record: a throwaway verb written in this module alone is parsed, listed
in help, authorised and run — the walk-through of docs/architecture.md."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.catalogue import VERBS
from bot.commands import Command, JoinSet
from bot.dispatch import Core
from bot.errors import GrammarError
from bot.messages import Message, Outcome
from bot.parsing.words import whole_number
from bot.permissions import F, M, change
from bot.usecases.replies import private
from bot.verbs import Registry, Route, Turn, Usage, Verb
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import is_error, private_to, say


@dataclass(frozen=True)
class Wave(Command):
    times: int


def parse_wave(args: list[str]) -> Command:
    if len(args) != 1:
        raise GrammarError("Say how many times.")  # the verb's example is added
    return Wave(whole_number(args[0], "The number of waves", low=1, high=3, example=None))


async def wave(cmd: Wave, turn: Turn) -> Outcome:
    name = turn.access.learning_set.name
    return private(turn.ctx, Message.text(f"You waved {cmd.times} times in “{name}”."))


WAVE = Verb(
    "wave",
    parse_wave,
    Usage("wave N", "wave at the set (a test verb)", "wave 2"),
    (Route(Wave, change(F, M), wave),),
)


@pytest.fixture
def core() -> Core:
    return Core(uow=MemoryStore(), clock=FakeClock(), verbs=VERBS.extended(WAVE))


async def test_a_new_verb_runs_for_whom_its_rule_allows(core: Core) -> None:
    await say(core, "fay", "create Ward leaders")
    assert private_to(await say(core, "fay", "wave 2"), "fay") == [
        "You waved 2 times in “Ward leaders”."
    ]
    refused = await say(core, "zed", "wave 2")
    assert is_error(refused)
    assert "Only members of this set" in private_to(refused, "zed")[0]


async def test_a_new_verb_is_in_help_and_its_mistakes_carry_its_example(core: Core) -> None:
    listing = private_to(await say(core, "fay", "help"), "fay")[0]
    assert "wave N — wave at the set (a test verb) (e.g. `wave 2`)" in listing
    assert private_to(await say(core, "fay", "help wave"), "fay")[0].endswith("Example: wave 2")
    wrong = private_to(await say(core, "fay", "wave"), "fay")
    assert wrong == ["Say how many times.\nExample: `/set wave 2`"]


async def test_the_standard_verbs_do_not_know_it() -> None:
    core = Core(uow=MemoryStore(), clock=FakeClock())
    assert "I don't know “wave”" in private_to(await say(core, "fay", "wave 2"), "fay")[0]


def test_a_registry_refuses_a_verb_or_a_route_declared_twice() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        VERBS.extended(WAVE, WAVE)
    joining_again = Verb("enter", parse_wave, WAVE.usage, (Route(JoinSet, change(F), wave),))
    with pytest.raises(ValueError, match="JoinSet is routed twice"):
        Registry((*VERBS, joining_again))

"""The roster's invariant, for every sequence of two role-changing commands over three
people, generated (not hand-listed) and run through the real dispatcher.

Invariant: an open set always has at least one active facilitator who has accepted
the agreement. A command the roster refuses changes nothing stored.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import Iterator

import pytest

from bot.dispatch import Core
from bot.errors import Conflict, NotAllowed, NotFound
from bot.model import Membership, Role, Roster
from tests.fakes import FakeClock, MemoryData, MemoryStore
from tests.unit.talk import is_error, say, uid

PEOPLE = ("fay", "ann", "bob")
"""fay created the set (an agreed facilitator); ann joined and agreed; bob is outside."""


def role_changing_commands() -> Iterator[tuple[str, str]]:
    """(speaker, words) for every role-changing command any of the three can type."""
    for speaker in PEOPLE:
        for words in ("join", "agree", "leave"):
            yield speaker, words
        for target in PEOPLE:
            for form in ("add <@test:{t}> as member", "add <@test:{t}> as facilitator"):
                yield speaker, form.format(t=target)
            yield speaker, f"remove <@test:{target}>"


COMMANDS = list(role_changing_commands())
SEQUENCES = list(itertools.product(COMMANDS, repeat=2))


async def _start() -> MemoryData:
    store = MemoryStore()
    core = Core(uow=store, clock=FakeClock())
    for name, words in (("fay", "create Ward leaders"), ("ann", "join"), ("ann", "agree")):
        assert not is_error(await say(core, name, words))
    return store.committed


def steering(data: MemoryData) -> list[Membership]:
    return [m for m in data.memberships.values() if m.steers]


async def _run_sequence(template: MemoryData, sequence: tuple[tuple[str, str], ...]) -> None:
    store = MemoryStore()
    store.committed = copy.deepcopy(template)
    core = Core(uow=store, clock=FakeClock())
    for speaker, words in sequence:
        before = copy.deepcopy(store.committed)
        outcome = await say(core, speaker, words)
        if is_error(outcome):
            assert store.committed.memberships == before.memberships, (sequence, words)
            assert store.committed.due_work == before.due_work, (sequence, words)
        assert steering(store.committed), f"no agreed facilitator after {sequence}"


def test_every_two_command_sequence_keeps_an_agreed_facilitator() -> None:
    assert len(SEQUENCES) == len(COMMANDS) ** 2 == 36**2

    async def run_all() -> None:
        template = await _start()
        for sequence in SEQUENCES:
            await _run_sequence(template, sequence)

    asyncio.run(run_all())


async def test_a_facilitator_cannot_remove_herself_while_the_other_is_pending() -> None:
    """The bug found as a new user: fay hands on to ann, who has not agreed yet, then
    removes herself — nobody would be left able to steer or close the set."""
    store = MemoryStore()
    core = Core(uow=store, clock=FakeClock())
    await say(core, "fay", "create Ward leaders")
    await say(core, "fay", "add <@test:ann> as facilitator")
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "fay", "remove <@test:fay>")
    assert is_error(outcome)
    assert store.committed.memberships == before.memberships
    await say(core, "ann", "agree")
    assert not is_error(await say(core, "fay", "remove <@test:fay>"))
    assert [m.user_id for m in steering(store.committed)] == [uid("ann")]


# --- the domain object on its own ---------------------------------------------------------

T = FakeClock().now()


def roster(*memberships: Membership, open: bool = True) -> Roster:
    return Roster("s", memberships, open=open)


def facilitator(name: str, *, agreed: bool = True) -> Membership:
    return Membership("s", name, Role.FACILITATOR, T, agreed_at=T if agreed else None)


def member(name: str) -> Membership:
    return Membership("s", name, Role.MEMBER, T, agreed_at=T)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.leave("fay", T),
        lambda r: r.remove("fay", T),
        lambda r: r.add("fay", Role.MEMBER, T),
    ],
    ids=["leave", "remove", "demote"],
)
def test_the_last_agreed_facilitator_is_kept(change: object) -> None:
    r = roster(facilitator("fay"), facilitator("pat", agreed=False), member("ann"))
    before = [copy.copy(m) for m in r.active()]
    with pytest.raises(Conflict):
        change(r)  # type: ignore[operator]
    assert r.active() == before


def test_a_closed_set_may_lose_its_facilitators() -> None:
    r = roster(facilitator("fay"), open=False)
    assert not r.leave("fay", T).active


def test_removal_sticks_but_leaving_does_not() -> None:
    r = roster(facilitator("fay"), member("ann"), member("bob"))
    r.remove("ann", T)
    r.leave("bob", T)
    with pytest.raises(NotAllowed):
        r.join("ann", T)
    assert r.join("bob", T).pending
    back = r.add("ann", Role.MEMBER, T)
    assert back.active and back.pending and not back.removed


def test_removing_someone_not_on_the_roster_is_not_found() -> None:
    with pytest.raises(NotFound):
        roster(facilitator("fay")).remove("zed", T)

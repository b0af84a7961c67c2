"""The question coach in a round: a kind private note to the asker alone, in the
questions phase only, never to the presenter, rate-limited, and switched off by either
the member or a facilitator."""

from __future__ import annotations

from datetime import timedelta

from bot.dispatch import Core, handle_event
from bot.events import MessagePosted
from bot.messages import Outcome, Private
from bot.model import Actor, Phase
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, the_round
from tests.unit.talk import ROOM, is_error, say, texts, uid

LEADING = "Have you thought about a job share?"
CLOSED = "Did you tell your manager?"
OPEN = "What would a good week look like for you?"


def in_thread(name: str, message_id: str, text: str) -> MessagePosted:
    return MessagePosted(ROOM, Actor(uid(name), name), message_id, text, "ts-round")


async def a_round(core: Core, store: MemoryStore) -> None:
    """ann presents to ben and cat; the round is in its questions phase."""
    await a_set(core, "ann", "ben", "cat")
    assert not is_error(await say(core, "fay", "round start <@test:ann> live 40m"))
    store.committed.message_refs[f"round:{the_round(store).id}"] = (ROOM.id, "ts-round")
    assert not is_error(await say(core, "fay", "round next"))
    assert the_round(store).phase is Phase.QUESTIONS


def notes(outcome: Outcome) -> list[tuple[object, str]]:
    return list(zip((o.to for o in outcome.messages), texts(outcome), strict=True))


async def test_a_leading_question_draws_a_private_note_to_its_asker_alone(
    core: Core, store: MemoryStore
) -> None:
    await a_round(core, store)
    said = notes(await handle_event(core, in_thread("ben", "q1", LEADING)))
    assert len(said) == 1
    (to, text) = said[0]
    assert to == Private(uid("ben"), ROOM.id, "ts-round")
    assert "a job share" in text and "open question" in text


async def test_open_questions_and_other_remarks_draw_nothing(
    core: Core, store: MemoryStore
) -> None:
    await a_round(core, store)
    assert not (await handle_event(core, in_thread("ben", "q1", OPEN))).messages
    assert not (await handle_event(core, in_thread("cat", "q2", "Thanks, that helps."))).messages


async def test_the_presenter_is_never_coached(core: Core, store: MemoryStore) -> None:
    await a_round(core, store)
    assert not (await handle_event(core, in_thread("ann", "a1", "You should ask HR."))).messages


async def test_nothing_is_coached_outside_the_questions_phase(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann", "ben", "cat")
    assert not is_error(await say(core, "fay", "round start <@test:ann> live 40m"))
    store.committed.message_refs[f"round:{the_round(store).id}"] = (ROOM.id, "ts-round")
    assert the_round(store).phase is not Phase.QUESTIONS
    assert not (await handle_event(core, in_thread("ben", "q1", LEADING))).messages


async def test_one_note_per_member_per_few_minutes(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_round(core, store)
    assert (await handle_event(core, in_thread("ben", "q1", LEADING))).messages
    clock.current += timedelta(minutes=1)
    assert not (await handle_event(core, in_thread("ben", "q2", CLOSED))).messages
    assert (await handle_event(core, in_thread("cat", "q3", CLOSED))).messages  # cat's own
    clock.current += timedelta(minutes=6)
    again = notes(await handle_event(core, in_thread("ben", "q4", CLOSED)))
    assert [to for to, _ in again] == [Private(uid("ben"), ROOM.id, "ts-round")]
    assert "What happened when you talked to your manager?" in again[0][1]


async def test_a_member_coached_earlier_is_encouraged_once_for_an_open_question(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_round(core, store)
    assert not (await handle_event(core, in_thread("cat", "q0", OPEN))).messages  # never coached
    assert (await handle_event(core, in_thread("ben", "q1", LEADING))).messages
    clock.current += timedelta(minutes=6)
    (note,) = notes(await handle_event(core, in_thread("ben", "q2", OPEN)))
    assert note[0] == Private(uid("ben"), ROOM.id, "ts-round") and "open question" in note[1]
    clock.current += timedelta(minutes=6)
    assert not (await handle_event(core, in_thread("ben", "q3", OPEN))).messages  # once


async def test_a_redelivered_message_coaches_once(core: Core, store: MemoryStore) -> None:
    await a_round(core, store)
    assert (await handle_event(core, in_thread("ben", "q1", LEADING))).messages
    assert not (await handle_event(core, in_thread("ben", "q1", LEADING))).messages


async def test_a_member_can_switch_coaching_off(core: Core, store: MemoryStore) -> None:
    await a_round(core, store)
    assert not is_error(await say(core, "ben", "settings coaching off"))
    assert not (await handle_event(core, in_thread("ben", "q1", LEADING))).messages
    assert (await handle_event(core, in_thread("cat", "q2", LEADING))).messages


async def test_a_facilitator_can_switch_coaching_off_for_the_set(
    core: Core, store: MemoryStore
) -> None:
    await a_round(core, store)
    assert not is_error(await say(core, "fay", "options coaching off"))
    assert not (await handle_event(core, in_thread("ben", "q1", LEADING))).messages
    assert not (await handle_event(core, in_thread("cat", "q2", "You should ask HR."))).messages


async def test_the_question_mix_still_counts_every_question(core: Core, store: MemoryStore) -> None:
    await a_round(core, store)
    await handle_event(core, in_thread("ben", "q1", LEADING))
    await handle_event(core, in_thread("cat", "q2", OPEN))
    assert len(store.committed.round_messages) == 2

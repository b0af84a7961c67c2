"""A fishbowl: the inner set questions; the outer ring writes to the bot privately and
is heard, without names, at resonance."""

from __future__ import annotations

from typing import Any

from bot.dispatch import Core, handle_event
from bot.events import MessagePosted
from bot.messages import Direct, Outcome, Private, Public
from bot.model import Actor, MessageRole, Phase, Place, PlaceKind
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, pending, the_round, wait
from tests.unit.talk import DM, OTHER_ROOM, ROOM, is_error, private_to, public_in, say, texts, uid

DAN_NOTE = f"I felt the room tense up when the budget came up {PLANTED}"
EVE_NOTE = f"It reminded me of my own ward {PLANTED}"
SHOWN = "From the outer ring, shared without names:"


def dm_of(name: str) -> Place:
    return Place(f"test:dm-{name}", PlaceKind.PERSONAL, "test")


def written_to_the_bot(name: str, message_id: str, text: str) -> MessagePosted:
    return MessagePosted(dm_of(name), Actor(uid(name), name), message_id, text)


def in_thread(name: str, message_id: str, text: str) -> MessagePosted:
    return MessagePosted(ROOM, Actor(uid(name), name), message_id, text, "ts-round")


async def fishbowl_round(core: Core, store: MemoryStore, start: str = "live 40m") -> None:
    """ann presents; ben and cat are the inner set; dan and eve the outer ring."""
    await a_set(core, "ann", "ben", "cat", "dan", "eve")
    assert not is_error(await say(core, "fay", "options fishbowl <@test:ben> <@test:cat>"))
    assert not is_error(await say(core, "fay", f"round start <@test:ann> {start}"))
    store.committed.message_refs[f"round:{the_round(store).id}"] = (ROOM.id, "ts-round")


def showing(outcome: Outcome, text: str) -> list[object]:
    """Where each message holding `text` goes."""
    said = zip(outcome.messages, texts(outcome), strict=True)
    return [o.to for o, t in said if text in t]


async def test_notes_are_held_then_shown_unattributed_when_the_round_reaches_resonance(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await fishbowl_round(core, store)
    (card,) = private_to(await say(core, "dan", "round status"), "dan")
    assert "Fishbowl: the inner set (@ben, @cat) works; the outer ring listens" in card
    held = await say(core, "dan", f"note {DAN_NOTE}", place=DM)
    (told,) = private_to(held, "dan")
    assert "shared in “Ward leaders” when the round reaches resonance, without your name" in told
    assert not public_in(held)
    dm = await handle_event(core, written_to_the_bot("eve", "dm1", EVE_NOTE))
    assert [o.to for o in dm.messages] == [Direct(uid("eve"))]
    assert len(store.committed.fishbowl_notes) == 2
    said = Outcome()
    for _ in range(3):  # present → questions → reflect → commit: nothing shown yet
        said += await say(core, "fay", "round next")
    assert not showing(said, PLANTED)
    said = await say(core, "fay", "round next")  # → resonance
    assert the_round(store).phase is Phase.RESONANCE
    (shown,) = [t for t in public_in(said) if SHOWN in t]
    assert DAN_NOTE in shown and EVE_NOTE in shown
    assert "@dan" not in shown and "@eve" not in shown and "dan" not in shown.replace(DAN_NOTE, "")
    assert showing(said, PLANTED) == [Public(ROOM.id)]
    assert "The outer ring's notes are shared here without names" in public_in(said)[-2]
    assert all(n.shown_at == clock.current for n in store.committed.fishbowl_notes.values())
    closing = await say(core, "fay", "round next")  # shown once
    assert not showing(closing, PLANTED)


async def test_resonance_by_time_shows_them_and_a_note_during_resonance_is_shown_at_once(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await fishbowl_round(core, store)
    await say(core, "dan", f"note {DAN_NOTE}", place=DM)
    said = await wait(core, store, clock, minutes=30)  # 5 + 15 + 5 + 5: resonance begins
    assert the_round(store).phase is Phase.RESONANCE
    assert showing(said, DAN_NOTE) == [Public(ROOM.id)]
    late = await handle_event(core, written_to_the_bot("eve", "dm2", f"note {EVE_NOTE}"))
    assert showing(late, EVE_NOTE) == [Public(ROOM.id)]
    assert "note " not in public_in(late)[0].split(":", 1)[1]  # the word `note` is dropped
    assert "shared in “Ward leaders” now" in texts(late)[-1]


async def test_a_round_ended_before_resonance_still_shows_what_it_held(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await fishbowl_round(core, store)
    await say(core, "dan", f"note {DAN_NOTE}", place=DM)
    said = await say(core, "fay", "round end")
    assert showing(said, DAN_NOTE) == [Public(ROOM.id)]


async def test_outer_ring_messages_in_the_thread_are_not_questions_and_they_are_told_once(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await fishbowl_round(core, store)
    await say(core, "fay", "round next")  # questions
    (status,) = private_to(await say(core, "ben", "round status"), "ben")
    assert "Inner set (@ben, @cat): ask @ann open questions" in status
    assert "Outer ring: listen, and write what you notice to me privately" in status
    first = await handle_event(core, in_thread("dan", "q1", f"Why not ask finance? {PLANTED}"))
    (told,) = [
        t
        for o, t in zip(first.messages, texts(first), strict=True)
        if o.to == Private(uid("dan"), ROOM.id)
    ]
    assert (
        "Write yours to me privately" in told
        and "`note TEXT`" in told
        and "not counted as a question" in told
    )
    again = await handle_event(core, in_thread("dan", "q2", "And the board?"))
    assert not again.messages  # told once a round
    await handle_event(core, in_thread("ben", "q3", "What would success look like?"))
    counted = {(m.author_id, m.role) for m in store.committed.round_messages.values()}
    assert counted == {(uid("ben"), MessageRole.QUESTION)}


async def test_the_inner_set_and_people_outside_a_fishbowl_cannot_leave_notes(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann", "ben", "dan")
    outcome = await say(core, "dan", "note a thought", place=DM)
    assert is_error(outcome) and "no round has you in its outer ring" in texts(outcome)[0]
    await say(core, "fay", "round start <@test:ann> live 40m")  # not a fishbowl
    assert is_error(await say(core, "dan", "note a thought", place=DM))
    assert not (await handle_event(core, written_to_the_bot("dan", "dm1", "hello"))).messages
    await say(core, "fay", "round end")
    await say(core, "fay", "options fishbowl <@test:ben>")
    await say(core, "fay", "round start <@test:ann> live 40m")
    outcome = await say(core, "ben", "note a thought", place=DM)
    assert is_error(outcome) and "inner set" in texts(outcome)[0]
    assert is_error(await say(core, "ann", "note a thought", place=DM))  # the presenter
    assert not store.committed.fishbowl_notes
    await say(core, "fay", "round end")
    await say(core, "fay", "options fishbowl off")
    await say(core, "fay", "round start <@test:ann> live 40m")
    assert not the_round(store).is_fishbowl


async def test_a_note_goes_to_its_own_set_and_is_never_shown_to_another(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await fishbowl_round(core, store)
    await say(core, "gil", "create Other set", place=OTHER_ROOM)
    await say(core, "dan", "join", place=OTHER_ROOM)
    await say(core, "dan", "agree", place=OTHER_ROOM)
    await say(core, "gil", "options fishbowl <@test:gil>", place=OTHER_ROOM)
    await say(core, "gil", "round start <@test:gil> live 40m", place=OTHER_ROOM)
    both = await say(core, "dan", f"note {DAN_NOTE}", place=DM)
    assert is_error(both) and "more than one set" in texts(both)[0]
    here = await say(core, "dan", f"note {DAN_NOTE}", place=OTHER_ROOM)  # Slack: /set, private
    assert not is_error(here) and "“Other set”" in private_to(here, "dan")[0]
    said = Outcome()
    for room, who in ((ROOM, "fay"), (OTHER_ROOM, "gil")):
        for _ in range(5):
            said += await say(core, who, "round next", place=room)
    assert showing(said, DAN_NOTE) == [Public(OTHER_ROOM.id)]
    assert not [t for t in public_in(said, ROOM) if SHOWN in t]


async def test_the_outer_ring_is_not_invited_to_ask_questions(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await fishbowl_round(core, store, start="async 3d")
    await say(core, "fay", "round next")
    invited = {w.user_id for w in pending(store, "round.invitation")}
    assert uid("ben") in invited and uid("cat") in invited
    assert not invited & {uid("dan"), uid("eve")}


async def test_notes_stay_out_of_due_work_and_logs(
    core: Core, store: MemoryStore, clock: FakeClock, no_planted_text_in_logs: Any
) -> None:
    await fishbowl_round(core, store)
    await say(core, "dan", f"note {DAN_NOTE}", place=DM)
    await handle_event(core, written_to_the_bot("eve", "dm1", EVE_NOTE))
    await wait(core, store, clock, minutes=40)
    assert PLANTED not in repr(store.committed.due_work)
    assert PLANTED not in repr(store.committed.rounds)
    assert len(store.committed.fishbowl_notes) == 2  # held, and shown, but:
    assert not [line for line in no_planted_text_in_logs.lines if PLANTED in line]

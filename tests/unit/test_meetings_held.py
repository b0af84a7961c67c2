"""Meetings as held: opened with check-in and a fair agenda, linked to the planned
meeting (its guests take part), closed with a process review in counts only; and what
is written in a round's thread counted as questions and answers."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from bot.delivery import StoredRefs, deliver
from bot.dispatch import Core, handle_event
from bot.events import MessageDeleted, MessageEdited, MessagePosted
from bot.messages import Outcome
from bot.model import Actor, MessageRole, Place, PlaceKind, tally
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore, RecordingGateway
from tests.unit.rounds_harness import a_set, the_round
from tests.unit.talk import ROOM, is_error, private_to, public_in, say, uid

MEETING_DAY = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)


def in_thread(
    name: str, message_id: str, text: str, thread: str | None = "ref-round"
) -> MessagePosted:
    return MessagePosted(ROOM, Actor(uid(name), name), message_id, text, thread)


async def sent(store: MemoryStore, outcome: Outcome) -> RecordingGateway:
    """Deliver as an adapter would, keeping refs in the store (`ref1`, `ref2`, …)."""
    gateway = RecordingGateway()
    await deliver(gateway, outcome, StoredRefs(store))
    return gateway


async def test_meeting_start_checks_in_and_orders_the_agenda_fairly(store: MemoryStore) -> None:
    clock = FakeClock(MEETING_DAY - timedelta(days=20))
    core = Core(uow=store, clock=clock)
    await a_set(core, "ann", "ben", "cat")
    assert not is_error(await say(core, "fay", "schedule 2026-11-26 14:00 UTC"))
    assert not is_error(await say(core, "fay", "schedule 2026-12-10 14:00 UTC"))
    clock.current = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)  # first meeting: ann presents
    await say(core, "fay", "round start <@test:ann>")
    await say(core, "fay", "meeting end")
    clock.advance(hours=2)
    for name, bid in (("ann", "bid 30m"), ("ben", "bid 10m"), ("cat", "bid 20m")):
        assert not is_error(await say(core, name, bid))
    clock.current = MEETING_DAY - timedelta(minutes=10)  # opened a little early
    said = public_in(await say(core, "fay", "meeting start"))[0]
    assert "fay opened the meeting" in said and "Check-in: how are you arriving" in said
    assert "what held you back" in said
    order = [said.index(f"@{n} —") for n in ("cat", "ben", "ann")]
    assert order == sorted(order)  # never presented first (larger bid first), ann last
    (held,) = [m for m in store.committed.held_meetings.values() if m.is_open]
    planned = [m for m in store.committed.meetings.values() if m.starts_at == MEETING_DAY]
    assert held.planned_id == planned[0].id
    assert held.agenda == (uid("cat"), uid("ben"), uid("ann"))
    assert (
        "A meeting is already open" in private_to(await say(core, "fay", "meeting start"), "fay")[0]
    )
    outcome = await say(core, "fay", "round start")  # next on the agenda presents
    assert the_round(store).presenter_id == uid("cat")
    assert "Round: @cat presents" in public_in(outcome)[-1]


async def test_an_unplanned_meeting_has_no_agenda_and_checkin_off_skips_it(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    await say(core, "fay", "options checkin off")
    said = public_in(await say(core, "fay", "meeting start"))[0]
    assert "no bids for airtime" in said and "Check-in" not in said
    (held,) = store.committed.held_meetings.values()
    assert held.planned_id is None
    outcome = await say(core, "fay", "round start")
    assert "No one is next on the agenda" in private_to(outcome, "fay")[0]


async def test_questions_and_answers_in_the_rounds_thread_are_counted_not_kept(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann", "ben", "cat")
    gateway = await sent(store, await say(core, "fay", "round start <@test:ann> live 40m"))
    thread = gateway.sent[-1]
    round_ = the_round(store)
    assert store.committed.message_refs[f"round:{round_.id}"] == (
        ROOM.id,
        f"ref{len(gateway.sent)}",
    )
    ref = f"ref{len(gateway.sent)}"
    await handle_event(core, in_thread("ann", "p1", "It is about the rota", ref))  # presenting
    await sent(store, await say(core, "fay", "round next"))
    await handle_event(core, in_thread("ben", "q1", f"What matters most to you? {PLANTED}", ref))
    await handle_event(core, in_thread("cat", "q2", "What have you tried?", ref))
    await handle_event(core, in_thread("ann", "a1", "Talking to both managers", ref))
    await handle_event(core, in_thread("ben", "x1", "Elsewhere", "another-thread"))
    await handle_event(core, in_thread("cat", "x2", "Top level", None))
    await handle_event(core, MessageEdited(ROOM, "q2", "What have you tried so far, and how?"))
    await handle_event(core, MessageDeleted(ROOM, "p1"))
    counted = store.committed.round_messages.values()
    by_id = {m.message_id: m for m in counted}
    assert set(by_id) == {"q1", "q2", "a1"}
    assert by_id["q1"].role is MessageRole.QUESTION and by_id["a1"].role is MessageRole.ANSWER
    assert by_id["q2"].words == 8
    assert PLANTED not in repr(list(counted))  # counts, never words
    mine = {p.user_id: p for p in tally(counted)}
    assert (mine[uid("ben")].questions, mine[uid("ann")].answers) == (1, 1)
    assert thread.method == "post"


async def test_meeting_end_closes_the_round_with_a_process_review_in_counts(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann", "ben", "cat", "dan")
    gateway = await sent(store, await say(core, "fay", "round start <@test:ann>"))
    ref = f"ref{len(gateway.sent)}"
    await say(core, "fay", "round next")
    asked = (
        f"What matters most to you about {PLANTED}?",  # open
        f"Did {PLANTED} reply to you?",  # closed
        f"Have you thought about asking {PLANTED}?",  # leading
        f"What would change if {PLANTED} said yes?",  # open
    )
    for n, (name, text) in enumerate(zip(("ben", "cat", "dan", "ben"), asked, strict=True)):
        await handle_event(core, in_thread(name, f"q{n}", text, ref))
    await handle_event(core, in_thread("ann", "a1", "An answer", ref))
    outcome = await say(core, "fay", "meeting end")
    said = public_in(outcome)
    assert any("The round ends with the meeting" in t for t in said)
    review = said[-1]
    for words in (
        "How did we work together",
        "Whose voice was heard",
        "What went unsaid",
        "differently",
    ):
        assert words in review
    assert (
        "1 round, 4 questions asked, 1 answer from presenters; questions came from 3 people"
        in review
    )
    assert "The questions read as: 2 open, 1 closed, 1 leading." in review
    assert PLANTED not in review
    assert not the_round(store).is_open
    assert all(not m.is_open for m in store.committed.held_meetings.values())
    assert "No meeting is open" in private_to(await say(core, "fay", "meeting end"), "fay")[0]


async def test_a_guest_of_the_planned_meeting_takes_part(store: MemoryStore) -> None:
    clock = FakeClock(MEETING_DAY - timedelta(days=3))
    core = Core(uow=store, clock=clock)
    await a_set(core, "ann", "ben")
    await say(core, "fay", "schedule 2026-12-10 14:00 UTC")
    assert not is_error(await say(core, "fay", "invite <@test:gil>"))
    clock.current = MEETING_DAY
    gateway = await sent(store, await say(core, "fay", "round start <@test:ann>"))
    ref = f"ref{len(gateway.sent)}"
    status = private_to(await say(core, "gil", "round status"), "gil")[0]
    assert "Round: @ann presents" in status
    await say(core, "fay", "round next")
    await handle_event(core, in_thread("gil", "g1", "What would success look like?", ref))
    await handle_event(core, in_thread("zed", "z1", "An outsider's words", ref))
    assert {m.author_id for m in store.committed.round_messages.values()} == {uid("gil")}


async def test_in_a_group_chat_the_whole_chat_is_the_rounds_space(
    core: Core, store: MemoryStore
) -> None:
    chat = Place("test:chat", PlaceKind.GROUP, "test")
    assert not is_error(await say(core, "fay", "create Chat set", place=chat))
    for text in ("join", "agree"):
        await say(core, "ann", text, place=chat)
        await say(core, "ben", text, place=chat)
    await say(core, "fay", "round start <@test:ann>", place=chat)
    await say(core, "fay", "round next", place=chat)
    await handle_event(core, MessagePosted(chat, Actor(uid("ben"), "ben"), "q1", "What next?"))
    (counted,) = store.committed.round_messages.values()
    assert counted.role is MessageRole.QUESTION
    before = copy.deepcopy(store.committed.round_messages)
    await say(core, "fay", "round end", place=chat)
    await handle_event(core, MessagePosted(chat, Actor(uid("ben"), "ben"), "q2", "After?"))
    assert store.committed.round_messages == before  # the round is over: not counted

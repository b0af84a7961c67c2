"""Async rounds: windows that end by themselves, and one kind invitation per quiet
listener, in their own working hours — across three time zones and a clock change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dispatch import Core, handle_due, handle_event
from bot.duework import Drop, Send
from bot.events import MessagePosted
from bot.messages import Direct
from bot.model import Actor, Phase
from bot.usecases.round_clock import INVITATION, INVITE_NOTICE, PHASE_END, WINDOW_END
from bot.working_time import is_working_time
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, pending, run_item, the_round, wait
from tests.unit.talk import ROOM, is_error, say, texts, uid

THURSDAY = datetime(2026, 3, 26, 16, 0, tzinfo=UTC)
"""An 8-day round from here has its questions window from Friday 11:12 UTC to Monday
16:00 UTC; London moves to summer time inside it (Sunday 29 March 2026, 01:00 UTC)."""
INTO_QUESTIONS = {"hours": 19, "minutes": 12}
ZONES = {"ann": "Europe/London", "ben": "America/Los_Angeles", "cat": "Asia/Singapore"}


async def an_async_round(core: Core, store: MemoryStore, clock: FakeClock) -> None:
    await a_set(core, "ann", "ben", "cat", "dan")
    for name, zone in ZONES.items():
        assert not is_error(await say(core, name, f"settings tz {zone}"))
    assert not is_error(
        await say(core, "dan", "settings tz Europe/London hours 08:00-10:00 days mon")
    )
    assert not is_error(await say(core, "fay", "settings nudges off"))
    assert not is_error(await say(core, "fay", "round start <@test:ann> async 8d"))


async def test_windows_end_by_themselves_and_are_not_precise(
    store: MemoryStore,
) -> None:
    clock = FakeClock(THURSDAY)
    core = Core(uow=store, clock=clock)
    await an_async_round(core, store, clock)
    (end,) = pending(store, WINDOW_END)
    assert not core.kinds[WINDOW_END].precise and not pending(store, PHASE_END)
    assert end.due_at == THURSDAY + timedelta(**INTO_QUESTIONS)  # 8 days × 1/10
    said = await wait(core, store, clock, days=8)
    assert the_round(store).phase is Phase.CLOSED
    assert the_round(store).closed_at == THURSDAY + timedelta(days=8)
    news = texts(said)
    assert any("Questions (2/5), until" in t for t in news)
    assert any("Time is up for resonance" in t for t in news)


async def test_each_quiet_listener_is_invited_once_in_their_own_working_hours(
    store: MemoryStore,
) -> None:
    clock = FakeClock(THURSDAY)
    core = Core(uow=store, clock=clock)
    await an_async_round(core, store, clock)
    await wait(core, store, clock, **INTO_QUESTIONS)  # into the questions window
    round_ = the_round(store)
    assert round_.phase is Phase.QUESTIONS and round_.deadline is not None
    invited = {w.user_id: w.due_at for w in pending(store, INVITATION)}
    assert set(invited) == {uid(n) for n in ("ben", "cat", "dan", "fay")}  # not the presenter
    for at in invited.values():
        assert round_.phase_started_at is not None
        assert round_.phase_started_at <= at <= round_.deadline - INVITE_NOTICE
    # ben works no more before the window closes after halfway: an hour in, Fri 09:00 PDT
    assert invited[uid("ben")] == datetime(2026, 3, 27, 16, 0, tzinfo=UTC)
    assert is_working_time(invited[uid("ben")], tz="America/Los_Angeles")
    assert is_working_time(invited[uid("cat")], tz="Asia/Singapore")
    # dan works Mondays 08:00-10:00 London time: after the clock change that is 07:00 UTC
    assert invited[uid("dan")] == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert invited[uid("cat")] == datetime(2026, 3, 30, 1, 0, tzinfo=UTC)  # Mon 09:00 SGT


async def test_an_invitation_is_kind_and_skipped_for_who_has_asked(store: MemoryStore) -> None:
    clock = FakeClock(THURSDAY)
    core = Core(uow=store, clock=clock)
    await an_async_round(core, store, clock)
    await wait(core, store, clock, **INTO_QUESTIONS)
    round_ = the_round(store)
    store.committed.message_refs[f"round:{round_.id}"] = (ROOM.id, "ts-round")
    asked = MessagePosted(ROOM, Actor(uid("cat"), "cat"), "ts-q1", "What would help?", "ts-round")
    await handle_event(core, asked)
    items = {w.user_id: w for w in pending(store, INVITATION)}
    clock.current = items[uid("fay")].due_at
    assert isinstance(await handle_due(core, items[uid("fay")]), Drop)  # nudges off
    clock.current = items[uid("cat")].due_at
    assert isinstance(await handle_due(core, items[uid("cat")]), Drop)
    clock.current = items[uid("dan")].due_at
    result = await handle_due(core, items[uid("dan")])
    assert isinstance(result, Send)
    (message,) = result.outcome.messages
    assert isinstance(message.to, Direct) and message.to.user_id == uid("dan")
    (text,) = texts(result.outcome)
    assert "silence gives room to think" in text and "@ann" in text
    await run_item(core, store, items[uid("dan")])
    await say(core, "fay", "round extend 2h")  # re-armed: dan's invitation is not sent twice
    assert uid("dan") not in {w.user_id for w in pending(store, INVITATION)}


async def test_nobody_is_invited_once_the_questions_window_has_passed(
    store: MemoryStore,
) -> None:
    clock = FakeClock(THURSDAY)
    core = Core(uow=store, clock=clock)
    await an_async_round(core, store, clock)
    await wait(core, store, clock, **INTO_QUESTIONS)
    (ben,) = [w for w in pending(store, INVITATION) if w.user_id == uid("ben")]
    await say(core, "fay", "round next")  # on to reflect
    assert not pending(store, INVITATION)  # cancelled with the window
    clock.current = ben.due_at
    assert isinstance(await handle_due(core, ben), Drop)

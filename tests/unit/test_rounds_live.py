"""Live rounds through the core: started and steered by command, moved on by time."""

from __future__ import annotations

import copy
from datetime import timedelta

from bot.dispatch import Core, handle_due
from bot.duework import Drop, Send
from bot.messages import Public, Update
from bot.model import Phase
from bot.usecases.round_clock import PHASE_END, WARNING, phase_end_key
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, pending, the_round, wait
from tests.unit.talk import ROOM, is_error, private_to, public_in, say, texts

START = "round start <@test:ann> live 40m"


async def started(core: Core, store: MemoryStore) -> None:
    await a_set(core, "ann", "ben", "cat", name=f"Ward {PLANTED}")
    outcome = await say(core, "fay", START)
    assert not is_error(outcome), texts(outcome)


async def test_start_posts_the_round_message_to_remember_naming_the_presenter(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann", "ben")
    outcome = await say(core, "fay", START)
    card = outcome.messages[-1]
    assert isinstance(card.to, Public) and card.remember == f"round:{the_round(store).id}"
    said = public_in(outcome)
    assert "fay opened the meeting" in said[0]  # outside a meeting, a round opens one
    assert "Round: @ann presents (live, 40 min)" in said[-1]
    assert "[Present] → Questions → Reflect → Commit → Resonance → Closed" in said[-1]
    assert "until 09:05" in said[-1] and "describe your challenge" in said[-1]


async def test_phase_ends_are_precise_due_work_at_each_deadline(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    round_ = the_round(store)
    (end,) = pending(store, PHASE_END)
    assert end.due_at == clock.current + timedelta(minutes=5) == round_.deadline
    assert end.key == phase_end_key(round_) and end.subject_id == round_.id
    assert core.kinds[PHASE_END].precise and core.kinds[WARNING].precise
    warnings = pending(store, WARNING)  # a 5-minute phase: only the 1-minute warning
    assert [w.due_at for w in warnings] == [clock.current + timedelta(minutes=4)]
    assert PLANTED not in repr(store.committed.due_work)


async def test_time_moves_the_round_through_every_phase_with_clear_prompts(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    start = clock.current
    said = await wait(core, store, clock, minutes=40)
    updates = [o for o in said.messages if isinstance(o.to, Update)]
    assert len(updates) == 5  # the round's message, updated at each phase change
    assert all(o.to.remembered == f"round:{the_round(store).id}" for o in updates)
    news = [t for o, t in zip(said.messages, texts(said), strict=True) if type(o.to) is Public]
    questions = next(t for t in news if t.startswith("Time is up for present."))
    assert "Questions (2/5), until 09:20 UTC." in questions
    for words in ("open questions", "No advice", "is the expert on their problem", "Silence"):
        assert words in questions
    resonance = next(t for t in news if "Resonance (5/5)" in t)
    assert "what feelings did listening evoke in you" in resonance.lower()
    assert the_round(store).phase is Phase.CLOSED
    assert the_round(store).closed_at == start + timedelta(minutes=40)
    assert any("5 minutes left for questions (until 09:20 UTC)" in t for t in texts(said))
    assert not pending(store)  # nothing left over


async def test_round_next_moves_on_early_and_the_old_phase_end_is_harmless(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    (old,) = pending(store, PHASE_END)
    clock.advance(minutes=2)
    outcome = await say(core, "fay", "round next")
    assert "fay moved the round on from present" in public_in(outcome)[-1]
    assert the_round(store).phase is Phase.QUESTIONS
    assert old.key not in store.committed.due_work  # cancelled, and replaced:
    (new,) = pending(store, PHASE_END)
    assert new.due_at == clock.current + timedelta(minutes=15)
    clock.advance(minutes=3)
    before = copy.deepcopy(store.committed.rounds)
    result = await handle_due(core, old)  # a timer that fires anyway
    assert isinstance(result, Drop) and store.committed.rounds == before


async def test_a_phase_end_run_twice_moves_the_round_once_and_says_it_again(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    (end,) = pending(store, PHASE_END)
    clock.current = end.due_at
    first = await handle_due(core, end)
    second = await handle_due(core, end)  # the send failed: the sweeper runs it again
    assert isinstance(first, Send) and isinstance(second, Send)
    assert the_round(store).phase is Phase.QUESTIONS
    assert texts(second.outcome)[0] == texts(first.outcome)[0]  # the same round message


async def test_pause_stops_the_clock_and_resume_gives_back_the_time_left(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    clock.advance(minutes=3)
    outcome = await say(core, "fay", "round pause")
    assert "paused, 2 min left" in public_in(outcome)[-1]
    assert not pending(store)  # nothing runs while paused
    assert not (await wait(core, store, clock, hours=1)).messages
    await say(core, "fay", "round resume")
    assert the_round(store).deadline == clock.current + timedelta(minutes=2)
    assert [w.due_at for w in pending(store, PHASE_END)] == [the_round(store).deadline]


async def test_extend_moves_the_phase_end_and_its_warnings(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    outcome = await say(core, "fay", "round extend 10m")
    assert "fay gave present 10 min more" in public_in(outcome)[-1]
    (end,) = pending(store, PHASE_END)
    assert end.due_at == clock.current + timedelta(minutes=15)
    warned = [w.due_at - clock.current for w in pending(store, WARNING)]
    assert warned == [timedelta(minutes=10), timedelta(minutes=14)]


async def test_round_end_closes_it_and_points_to_the_next_step(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    outcome = await say(core, "fay", "round end")
    said = public_in(outcome)
    assert "fay ended the round" in said[-2] and "`meeting end`" in said[-1]
    assert not the_round(store).is_open and not pending(store)


async def test_only_facilitators_steer_and_anyone_in_the_set_sees_the_status(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    before = copy.deepcopy(store.committed)
    for words in ("round next", "round pause", "round extend 5m", "round end", START):
        assert "Only a facilitator" in private_to(await say(core, "ben", words), "ben")[0]
    assert store.committed == before
    status = private_to(await say(core, "ben", "round status"), "ben")[0]
    assert "Round: @ann presents" in status and "until 09:05" in status


async def test_one_round_at_a_time_per_set(core: Core, store: MemoryStore) -> None:
    await started(core, store)
    outcome = await say(core, "fay", "round start <@test:ben>")
    assert is_error(outcome) and "already running" in private_to(outcome, "fay")[0]
    assert len(store.committed.rounds) == 1


async def test_steering_without_a_round_or_in_a_closed_set_is_refused(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    assert "No round is running" in private_to(await say(core, "fay", "round next"), "fay")[0]
    assert "No round is running" in private_to(await say(core, "ann", "round status"), "ann")[0]
    assert not is_error(await say(core, "fay", START))
    assert not is_error(await say(core, "fay", "close"))
    before = copy.deepcopy(store.committed)
    assert "This set is closed" in private_to(await say(core, "fay", "round next"), "fay")[0]
    assert store.committed == before


async def test_a_presenter_must_be_a_member_who_agreed(core: Core, store: MemoryStore) -> None:
    await a_set(core, "ann")
    assert not is_error(await say(core, "pat", "join"))  # pending: not agreed
    for who in ("pat", "zed"):
        outcome = await say(core, "fay", f"round start <@test:{who}>")
        assert "must be a member" in private_to(outcome, "fay")[0]
    assert not store.committed.rounds and not store.committed.held_meetings


async def test_lengths_out_of_range_are_refused_with_an_example(core: Core) -> None:
    await a_set(core, "ann")
    outcome = await say(core, "fay", "round start <@test:ann> live 3m")
    assert "A live round lasts from 5 min to 4 h" in private_to(outcome, "fay")[0]
    outcome = await say(core, "fay", "round start <@test:ann> async 40d")
    assert "An async round lasts from 1 h to 30 days" in private_to(outcome, "fay")[0]


async def test_the_sets_live_template_gives_the_phase_lengths(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    assert not is_error(await say(core, "fay", "options live 10/20/5/5/10"))
    await say(core, "fay", "round start <@test:ann> live")
    assert [int(d.total_seconds() // 60) for d in the_round(store).lengths] == [10, 20, 5, 5, 10]


async def test_a_restart_mid_round_loses_nothing(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await started(core, store)
    await wait(core, store, clock, minutes=7)
    assert the_round(store).phase is Phase.QUESTIONS
    restarted = MemoryStore()  # a new process over the same committed data
    restarted.committed = copy.deepcopy(store.committed)
    core2 = Core(uow=restarted, clock=clock)
    said = await wait(core2, restarted, clock, minutes=40)
    assert the_round(restarted).phase is Phase.CLOSED
    assert sum(isinstance(o.to, Update) for o in said.messages) == 4
    assert ROOM.id in {o.to.place_id for o in said.messages if isinstance(o.to, Public)}


async def test_a_late_warning_is_not_sent(core: Core, store: MemoryStore, clock: FakeClock) -> None:
    await started(core, store)
    (warning,) = pending(store, WARNING)
    clock.current = warning.due_at + timedelta(minutes=2)  # found late, after downtime
    assert isinstance(await handle_due(core, warning), Drop)

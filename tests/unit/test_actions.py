"""Committed actions through the dispatcher: numbers, due moments, who may change one,
the round they came from, and the report-back at the next meeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dispatch import Core
from bot.model import Action, ActionNote, ActionStatus, Phase
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, the_round
from tests.unit.talk import is_error, private_to, public_in, say, uid

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MEETING = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)


def action(store: MemoryStore, number: int) -> Action:
    (found,) = [a for a in store.committed.actions.values() if a.number == number]
    return found


async def test_actions_are_numbered_in_the_set_and_due_at_the_next_meeting(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann", "ben")
    outcome = await say(core, "ann", f"commit talk to the rota team {PLANTED}")
    assert "Noted as your action 1, with no due date" in private_to(outcome, "ann")[0]
    assert action(store, 1).due_at is None
    assert not is_error(await say(core, "fay", "schedule 2026-12-10 14:00 UTC"))
    outcome = await say(core, "ben", f"commit ask for a budget {PLANTED}")
    assert "Noted as your action 2, due Thu 10 Dec 2026 14:00 UTC" in private_to(outcome, "ben")[0]
    assert f"ben committed to action 2: ask for a budget {PLANTED}" in public_in(outcome)[0]
    second = action(store, 2)
    assert (second.owner_id, second.due_at, second.status) == (uid("ben"), MEETING, "open")
    assert second.round_id is None and second.created_at == NOW


async def test_by_a_date_is_the_end_of_that_day_in_the_speakers_zone(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann")
    outcome = await say(core, "ann", "commit call Sam by 2026-12-01", tz="America/New_York")
    assert not is_error(outcome)
    # 23:59 on 1 Dec in New York is 04:59 on 2 Dec in UTC
    assert action(store, 1).due_at == datetime(2026, 12, 2, 4, 59, tzinfo=UTC)
    refused = await say(core, "ann", "commit call Sam by 2026-11-01", tz="America/New_York")
    assert is_error(refused) and "already passed" in private_to(refused, "ann")[0]
    assert "commit talk to the rota team by next Friday" in private_to(refused, "ann")[0]


async def test_only_the_owner_changes_an_action_and_a_facilitator_may_drop_it(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann", "ben")
    await say(core, "ann", f"commit talk to the rota team {PLANTED}")
    for speaker, words in (("ben", "done 1"), ("ben", "progress 1 met"), ("fay", "done 1")):
        refused = await say(core, speaker, words)
        assert is_error(refused)
        assert "only its owner" in private_to(refused, speaker)[0]
        assert public_in(refused) == []
    refused = await say(core, "ben", "drop 1")
    assert "only its owner or a facilitator can `drop` it" in private_to(refused, "ben")[0]
    assert action(store, 1).status is ActionStatus.OPEN
    unknown = await say(core, "ann", "done 9")
    assert is_error(unknown) and "There is no action 9" in private_to(unknown, "ann")[0]
    outsider = await say(core, "zed", "commit take over")
    assert is_error(outsider) and not store.committed.actions.keys() - {action(store, 1).id}

    dropped = await say(core, "fay", f"drop 1 merged into the pilot {PLANTED}")
    assert "Dropped action 1" in private_to(dropped, "fay")[0]
    assert "fay dropped your action 1 (merged into the pilot" in private_to(dropped, "ann")[0]
    found = action(store, 1)
    assert found.status is ActionStatus.DROPPED
    assert found.closing_note == f"merged into the pilot {PLANTED}"
    again = await say(core, "ann", "done 1")
    assert is_error(again) and "already dropped" in private_to(again, "ann")[0]


async def test_progress_done_and_lists_with_overdue_marked(
    store: MemoryStore,
) -> None:
    clock = FakeClock(NOW)
    core = Core(uow=store, clock=clock)
    await a_set(core, "ann", "ben")
    await say(core, "ann", "commit talk to the rota team by 2026-11-30")
    await say(core, "ann", f"commit map the stakeholders {PLANTED}")
    await say(core, "ben", "commit ask for a budget")
    clock.advance(hours=1)
    assert not is_error(await say(core, "ann", f"progress 2 met two of them {PLANTED}"))
    assert action(store, 2).notes == [ActionNote(f"met two of them {PLANTED}", clock.current)]
    done = await say(core, "ann", "done 2 all mapped")
    assert "ann did action 2: map the stakeholders" in public_in(done)[0]
    second = action(store, 2)
    assert (second.status, second.closing_note) == (ActionStatus.DONE, "all mapped")
    assert second.closed_at == clock.current
    assert is_error(await say(core, "ann", "progress 2 more"))

    clock.current = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    mine = private_to(await say(core, "ann", "actions"), "ann")[0]
    assert "1: @ann — talk to the rota team · open, due" in mine and "(overdue)" in mine
    assert "2: @ann — map the stakeholders" in mine and "done" in mine
    assert "ask for a budget" not in mine
    everyone = private_to(await say(core, "ben", "actions all"), "ben")[0]
    assert all(t in everyone for t in ("rota team", "stakeholders", "3: @ben — ask for a budget"))
    of_ben = private_to(await say(core, "ann", "actions <@test:ben>"), "ann")[0]
    assert "ask for a budget" in of_ben and "rota team" not in of_ben
    none = private_to(await say(core, "fay", "actions mine"), "fay")[0]
    assert "Your actions: none yet" in none


async def test_the_presenter_commits_in_the_commit_phase_and_reports_back_next_time(
    store: MemoryStore,
) -> None:
    clock = FakeClock(NOW)
    core = Core(uow=store, clock=clock)
    await a_set(core, "ann", "ben")
    assert not is_error(await say(core, "fay", "schedule 2026-12-10 14:00 UTC"))
    assert not is_error(await say(core, "fay", "round start <@test:ann>"))
    await say(core, "ben", "commit read the policy")  # not the presenter: no round
    while the_round(store).phase is not Phase.COMMIT:
        assert not is_error(await say(core, "fay", "round next"))
    await say(core, "ann", f"commit talk to the rota team {PLANTED}")
    round_ = the_round(store)
    linked = action(store, 2)
    assert (linked.round_id, linked.meeting_id) == (round_.id, round_.meeting_id)
    assert linked.due_at == MEETING
    assert action(store, 1).round_id is None
    await say(core, "ben", "commit something else entirely")
    assert not is_error(await say(core, "ben", "done 3"))
    assert not is_error(await say(core, "fay", "meeting end"))

    clock.current = MEETING - timedelta(minutes=5)
    opened = public_in(await say(core, "fay", "meeting start"))[0]
    assert "Actions to report back on" in opened
    assert f"action 2: @ann — talk to the rota team {PLANTED}" in opened
    assert "action 1: @ben — read the policy" in opened
    assert "something else" not in opened  # done already

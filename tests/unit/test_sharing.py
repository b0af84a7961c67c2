"""`share`: a member sends their own sponsor one of their actions, or their summary of
the latest meeting — only what they chose, never other members' content."""

from __future__ import annotations

from bot.dispatch import Core
from bot.messages import Direct, Outcome
from bot.plain import render_message
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set
from tests.unit.talk import is_error, private_to, say, uid


def to_sponsor(outcome: Outcome) -> list[str]:
    return [
        render_message(o.message, name_of=lambda u: u.removeprefix("test:"))
        for o in outcome.messages
        if isinstance(o.to, Direct) and o.to.user_id == uid("dir")
    ]


async def a_sponsored_set(core: Core) -> None:
    await a_set(core, "ann", "ben", name=f"Ward {PLANTED}")
    assert not is_error(await say(core, "ann", "sponsor <@test:dir>"))
    assert not is_error(await say(core, "ann", "commit call the rota team"))
    assert not is_error(await say(core, "ben", f"commit ben's secret {PLANTED}"))


async def test_share_sends_the_action_and_note_to_the_sponsor_alone(
    core: Core, store: MemoryStore
) -> None:
    await a_sponsored_set(core)
    await say(core, "ann", "progress 1 met the lead nurse")
    outcome = await say(core, "ann", "share 1 slow but moving")
    (sent,) = to_sponsor(outcome)
    assert "@ann shares progress on an action with you" in sent
    assert "call the rota team" in sent and "met the lead nurse" in sent
    assert "slow but moving" in sent
    assert PLANTED not in sent  # not the set's name, not anyone else's action
    assert "Sent action 1 to @dir" in private_to(outcome, "ann")[0]
    assert len(outcome.messages) == 2


async def test_share_refuses_others_actions_and_members_without_a_sponsor(
    core: Core, store: MemoryStore
) -> None:
    await a_sponsored_set(core)
    before = len(store.committed.actions)
    mistaken = await say(core, "ann", "share 2")
    assert is_error(mistaken) and not to_sponsor(mistaken)
    assert "someone else's" in private_to(mistaken, "ann")[0]
    alone = await say(core, "ben", "share 2")
    assert is_error(alone) and "sponsor @director" in private_to(alone, "ben")[0]
    assert is_error(await say(core, "ann", "share 9"))
    assert len(store.committed.actions) == before


async def test_share_meeting_sends_my_summary_and_my_actions_from_it(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_sponsored_set(core)
    nothing = await say(core, "ann", "share meeting")
    assert is_error(nothing) and "not met yet" in private_to(nothing, "ann")[0]
    clock.advance(days=1)
    await say(core, "fay", "meeting start")
    await say(core, "ann", "commit write to the board")
    await say(core, "ben", f"commit ben's other secret {PLANTED}")
    await say(core, "fay", "meeting end")
    outcome = await say(core, "ann", "share meeting I saw how much I carry alone")
    (sent,) = to_sponsor(outcome)
    assert "@ann shares their summary of the meeting" in sent
    assert "I saw how much I carry alone" in sent and "write to the board" in sent
    assert "call the rota team" not in sent  # committed before that meeting
    assert PLANTED not in sent and "@ben" not in sent

"""The shared-challenge format: the set's one challenge, a lead who rotates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dispatch import Core
from bot.messages import Public
from bot.model import next_lead
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, the_round
from tests.unit.talk import OTHER_ROOM, ROOM, is_error, private_to, public_in, say, texts, uid

CHALLENGE = f"Cutting discharge delays across three wards {PLANTED}"


async def shared_set(core: Core) -> None:
    await a_set(core, "ann", "ben", "cat")
    assert not is_error(await say(core, "fay", "options format shared"))
    assert not is_error(await say(core, "fay", f"challenge {CHALLENGE}"))


async def a_round(core: Core, clock: FakeClock, words: str = "round start live 40m") -> str:
    """Start a round without naming anyone, end it; who led."""
    outcome = await say(core, "fay", words)
    assert not is_error(outcome), texts(outcome)
    lead = public_in(outcome)[-1].split("Round: @")[1].split(" ")[0]
    clock.advance(minutes=5)
    assert not is_error(await say(core, "fay", "round end"))
    clock.advance(minutes=1)
    return lead


def test_the_lead_is_who_has_never_led_in_roster_order_then_who_led_longest_ago() -> None:
    t = datetime(2026, 3, 1, tzinfo=UTC)
    members = ["ann", "ben", "cat"]
    assert next_lead(members, {}) == "ann"
    assert next_lead(members, {"ann": t}) == "ben"
    assert next_lead(members, {"ann": t + timedelta(1), "ben": t, "cat": t + timedelta(2)}) == "ben"
    assert next_lead([], {}) is None


async def test_round_start_without_a_presenter_rotates_the_lead(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await shared_set(core)
    await say(core, "ben", "bid 20m")  # bids do not decide who leads a shared challenge
    leads = [await a_round(core, clock) for _ in range(4)]
    assert leads == ["ann", "ben", "cat", "ann"]  # the facilitator is not in the rotation


async def test_a_named_lead_counts_in_the_rotation(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await shared_set(core)
    assert await a_round(core, clock, "round start <@test:ann> live 40m") == "ann"
    assert await a_round(core, clock, "round start <@test:cat> live 40m") == "cat"
    assert await a_round(core, clock) == "ben"  # never led
    assert await a_round(core, clock) == "ann"  # led longest ago


async def test_the_present_prompt_shows_the_shared_challenge_in_the_sets_place_only(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await shared_set(core)
    outcome = await say(core, "fay", "round start live 40m")
    card = public_in(outcome)[-1]
    assert "Round: @ann leads (live, 40 min) on the set's shared challenge." in card
    assert "@ann leads: present the current state of the set's shared challenge" in card
    assert f"The set's shared challenge: {CHALLENGE}" in card
    assert the_round(store).shared
    showing = [
        o.to for o, t in zip(outcome.messages, texts(outcome), strict=True) if CHALLENGE in t
    ]
    assert showing == [Public(ROOM.id)]  # the challenge goes nowhere but the set's own place
    assert not public_in(outcome, OTHER_ROOM)
    status = private_to(await say(core, "ben", "round status"), "ben")[0]
    assert "present the current state of the set's shared challenge" in status
    questions = public_in(await say(core, "fay", "round next"))[-1]
    assert "open questions" in questions and "Listeners" in questions  # everyone else asks


async def test_a_named_presenter_in_a_shared_set_works_as_before_and_an_own_set_unchanged(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann", "ben")
    outcome = await say(core, "fay", "round start live 40m")
    assert is_error(outcome)  # own challenges: no bids, no one named — as before
    outcome = await say(core, "fay", "round start <@test:ben> live 40m")
    assert "Round: @ben presents (live, 40 min)." in public_in(outcome)[-1]
    assert not the_round(store).shared
    await say(core, "fay", "round end")
    await say(core, "fay", "options format shared")
    outcome = await say(core, "fay", "round start <@test:ben> live 40m")
    card = public_in(outcome)[-1]
    assert "@ben leads" in card and the_round(store).presenter_id == uid("ben")
    assert "not written yet: a facilitator writes it with `challenge TEXT`" in card


async def test_status_between_rounds_names_the_next_lead(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await shared_set(core)
    await a_round(core, clock)
    said = private_to(await say(core, "cat", "round status"), "cat")[0]
    assert "Next to lead: @ben." in said

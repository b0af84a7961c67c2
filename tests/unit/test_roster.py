"""Create, join, leave and members through the parser, with in-memory ports."""

from __future__ import annotations

import copy

from bot.dispatch import Core
from bot.model import Role
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import DM, OTHER_ROOM, ROOM, is_error, private_to, public_in, say, uid


async def make_set(core: Core, *members: str) -> None:
    await say(core, "fay", "create Ward leaders")
    for name in members:
        await say(core, name, "join")
        await say(core, name, "agree")


async def test_create_makes_caller_facilitator_and_announces(
    core: Core, store: MemoryStore
) -> None:
    outcome = await say(core, "fay", f"create Ward {PLANTED}")
    (learning_set,) = store.committed.sets.values()
    assert learning_set.name == f"Ward {PLANTED}"
    assert learning_set.place_id == ROOM.id
    membership = store.committed.memberships[(learning_set.id, uid("fay"))]
    assert membership.role is Role.FACILITATOR and membership.agreed_at is not None
    assert public_in(outcome) == [
        f"@fay made this place the set “Ward {PLANTED}” and facilitates it."
        " Everyone here can `join`."
    ]


async def test_create_takes_the_creators_time_zone(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create", tz="Asia/Tokyo")
    (learning_set,) = store.committed.sets.values()
    assert learning_set.tz == "Asia/Tokyo"
    assert learning_set.name == "Action learning set"


async def test_create_refused_in_a_one_to_one_chat(core: Core, store: MemoryStore) -> None:
    outcome = await say(core, "fay", "create", place=DM)
    assert is_error(outcome)
    assert "channel or group chat" in private_to(outcome, "fay")[0]
    assert not store.committed.sets


async def test_create_twice_in_one_place_is_a_conflict_and_changes_nothing(
    core: Core, store: MemoryStore
) -> None:
    await say(core, "fay", "create First")
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "gus", "create Second")
    assert is_error(outcome)
    assert "already a set" in private_to(outcome, "gus")[0]
    assert store.committed == before


async def test_join_answers_privately_and_announces(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    outcome = await say(core, "ann", "join")
    (welcome,) = private_to(outcome, "ann")
    assert welcome.startswith("Welcome to “Ward leaders”. You are member 2 of the set.")
    assert "Confidentiality" in welcome and "Type `agree`" in welcome
    assert public_in(outcome) == ["@ann joined the set."]
    (learning_set,) = store.committed.sets.values()
    membership = store.committed.memberships[(learning_set.id, uid("ann"))]
    assert membership.role is Role.MEMBER and membership.agreed_at is None


async def test_join_twice_is_refused(core: Core) -> None:
    await make_set(core, "ann")
    outcome = await say(core, "ann", "join")
    assert is_error(outcome) and "already in" in private_to(outcome, "ann")[0]


async def test_join_where_there_is_no_set(core: Core) -> None:
    outcome = await say(core, "ann", "join", place=OTHER_ROOM)
    assert is_error(outcome)
    assert private_to(outcome, "ann") == [
        "There is no set in this place yet.\nExample: `/set create Ward leaders 2026`"
    ]


async def test_members_lists_roles_and_local_times(core: Core, clock: FakeClock) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    await say(core, "ann", "join", tz="Asia/Tokyo")
    await say(core, "ann", "agree")
    await say(core, "bo", "join")  # no profile zone: the set's zone applies
    outcome = await say(core, "ann", "members")
    (text,) = private_to(outcome, "ann")
    assert "facilitator: @fay — 09:00 (Europe/London)" in text
    assert "member: @ann — 18:00 (Asia/Tokyo)" in text
    assert "member (not yet agreed): @bo — 09:00 (Europe/London)" in text
    assert (
        "work best with 4–8 people" in text
    )  # three people: the facilitator is told why size matters


async def test_members_is_for_members_only(core: Core) -> None:
    await make_set(core, "ann")
    outcome = await say(core, "zed", "members")
    assert is_error(outcome) and "Only members" in private_to(outcome, "zed")[0]


async def test_a_member_of_one_set_cannot_read_another(core: Core) -> None:
    await make_set(core, "ann")
    await say(core, "gus", "create Other set", place=OTHER_ROOM)
    outcome = await say(core, "ann", "members", place=OTHER_ROOM)
    assert is_error(outcome)


async def test_leave_and_rejoin(core: Core, store: MemoryStore) -> None:
    await make_set(core, "ann", "bo")
    assert private_to(await say(core, "ann", "leave"), "ann") == ["You have left “Ward leaders”."]
    roster = private_to(await say(core, "fay", "members"), "fay")[0]
    assert "@ann" not in roster and "@bo" in roster
    assert not is_error(await say(core, "ann", "join"))
    assert not is_error(await say(core, "ann", "agree"))


async def test_the_only_facilitator_cannot_leave_a_set_with_members(core: Core) -> None:
    await make_set(core, "ann")
    outcome = await say(core, "fay", "leave")
    assert is_error(outcome) and "only facilitator" in private_to(outcome, "fay")[0]


async def test_outsider_cannot_leave(core: Core) -> None:
    await make_set(core)
    assert is_error(await say(core, "zed", "leave"))


async def test_a_failed_command_does_not_even_record_the_speaker(
    core: Core, store: MemoryStore
) -> None:
    outcome = await say(core, "zed", "join", place=OTHER_ROOM)
    assert is_error(outcome)
    assert uid("zed") not in store.committed.people

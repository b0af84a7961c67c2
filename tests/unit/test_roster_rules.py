"""Roster holes found from outside (issue 16): removal sticks, a guest's `join` waits for a
facilitator, and `settings` shows the set's zone only to its members."""

from __future__ import annotations

import copy

from bot.dispatch import Core
from bot.model import Role
from tests.fakes import MemoryStore
from tests.unit.talk import is_error, private_to, say, uid


async def make_set(core: Core) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    for name in ("ann", "bob"):
        await say(core, name, "join")
        await say(core, name, "agree")


async def test_someone_removed_cannot_join_again_until_a_facilitator_adds_them(
    core: Core, store: MemoryStore
) -> None:
    await make_set(core)
    await say(core, "fay", "remove <@test:bob>")
    before = copy.deepcopy(store.committed)
    refused = await say(core, "bob", "join")
    assert is_error(refused)
    assert "only a facilitator can add you back" in private_to(refused, "bob")[0]
    assert store.committed.memberships == before.memberships
    for words in ("agree", "members"):
        assert is_error(await say(core, "bob", words))
    await say(core, "fay", "add <@test:bob>")
    assert not is_error(await say(core, "bob", "agree"))
    assert "bob" in private_to(await say(core, "bob", "members"), "bob")[0]


async def test_leaving_is_not_removal(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    await say(core, "bob", "leave")
    assert not is_error(await say(core, "bob", "join"))


async def test_a_guest_who_joins_waits_for_a_facilitator(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    await say(core, "fay", "schedule 2026-12-10 14:00")
    await say(core, "fay", "invite <@test:gil>")
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "gil", "join")
    assert "pending until one of them adds you" in private_to(outcome, "gil")[0]
    (told,) = private_to(outcome, "fay")
    assert "gil came as a guest and would like to join the set. `add @gil`" in told
    assert not private_to(outcome, "ann")  # members are not told
    assert store.committed.memberships == before.memberships
    assert is_error(await say(core, "gil", "members"))  # still a guest
    await say(core, "fay", "add <@test:gil>")
    await say(core, "gil", "agree")
    (learning_set,) = store.committed.sets.values()
    membership = store.committed.memberships[(learning_set.id, uid("gil"))]
    assert membership.role is Role.MEMBER and membership.agreed_at is not None


async def test_settings_shows_the_sets_zone_only_to_its_members(core: Core) -> None:
    await make_set(core)
    await say(core, "fay", "schedule 2026-12-10 14:00")
    await say(core, "fay", "invite <@test:gil>")
    (mine,) = private_to(await say(core, "ann", "settings"), "ann")
    assert "Europe/London (from the set's)" in mine
    for name in ("gil", "zed"):
        (theirs,) = private_to(await say(core, name, "settings"), name)
        assert "Europe/London" not in theirs
        assert "UTC (from the default)" in theirs

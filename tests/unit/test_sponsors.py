"""Sponsor links (issue 16): made by the member for themselves, the named sponsor is
told privately and can decline, the member can change or end it, and it never blocks
anyone from joining."""

from __future__ import annotations

from bot.dispatch import Core
from bot.messages import Direct, Outcome
from bot.plain import render_message
from tests.fakes import MemoryStore
from tests.unit.talk import DM, is_error, private_to, say, uid


async def make_set(core: Core) -> None:
    await say(core, "fay", "create Ward leaders")
    for name in ("ann", "bob"):
        await say(core, name, "join")
        await say(core, name, "agree")


def direct_to(outcome: Outcome, name: str) -> list[str]:
    return [
        render_message(o.message, name_of=lambda u: u.removeprefix("test:"))
        for o in outcome.messages
        if isinstance(o.to, Direct) and o.to.user_id == uid(name)
    ]


def links(store: MemoryStore) -> set[tuple[str, str]]:
    return {(link.member_id, link.sponsor_id) for link in store.committed.sponsors.values()}


async def test_the_named_sponsor_is_told_and_may_decline(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    (told,) = direct_to(await say(core, "ann", "sponsor <@test:spo>"), "spo")
    assert "write `sponsor decline` to me" in told
    await say(core, "bob", "sponsor <@test:spo>")
    outcome = await say(core, "spo", "sponsor decline", place=DM)
    assert private_to(outcome, "spo") == ["You are no longer the sponsor of @ann @bob."]
    for member in ("ann", "bob"):
        (note,) = direct_to(outcome, member)
        assert "@spo would rather not be your sponsor in “Ward leaders”" in note
    assert links(store) == set()
    assert is_error(await say(core, "spo", "sponsor decline", place=DM))  # nothing left


async def test_a_member_changes_or_ends_their_own_link(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    await say(core, "ann", "sponsor <@test:spo>")
    changed = await say(core, "ann", "sponsor <@test:dir>")
    assert direct_to(changed, "spo") == ["@ann no longer names you as their sponsor."]
    assert links(store) == {(uid("ann"), uid("dir"))}
    ended = await say(core, "ann", "sponsor none")
    assert private_to(ended, "ann") == ["@dir is no longer your sponsor."]
    assert direct_to(ended, "dir") == ["@ann no longer names you as their sponsor."]
    assert links(store) == set()
    assert is_error(await say(core, "ann", "sponsor none"))


async def test_being_named_a_sponsor_never_blocks_joining(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    await say(core, "ann", "sponsor <@test:spo>")
    outcome = await say(core, "spo", "join")
    assert not is_error(outcome)
    (note,) = direct_to(outcome, "ann")
    assert "@spo is now on the roster of “Ward leaders”, so they are no longer your sponsor" in note
    assert links(store) == set()
    await say(core, "bob", "sponsor <@test:dir>")
    assert not is_error(await say(core, "fay", "add <@test:dir>"))
    assert links(store) == set()


async def test_only_the_member_links_their_own_sponsor(core: Core, store: MemoryStore) -> None:
    """Nobody can name a sponsor for someone else: the words name only the speaker's."""
    await make_set(core)
    await say(core, "ann", "sponsor <@test:spo>")
    assert is_error(await say(core, "zed", "sponsor <@test:ann>"))  # an outsider
    assert links(store) == {(uid("ann"), uid("spo"))}


async def test_a_members_sponsor_link_ends_when_they_leave(core: Core, store: MemoryStore) -> None:
    await make_set(core)
    await say(core, "ann", "sponsor <@test:spo>")
    await say(core, "bob", "sponsor <@test:spo>")
    assert links(store) == {(uid("ann"), uid("spo")), (uid("bob"), uid("spo"))}
    await say(core, "ann", "leave")
    assert links(store) == {(uid("bob"), uid("spo"))}

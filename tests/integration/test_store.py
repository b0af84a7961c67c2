"""The SQL store behind the core's ports, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from adapters.store.migrate import check
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from bot.model import Membership, Person, Role, SetStatus
from tests.fakes import FakeClock
from tests.records import T0, a_set
from tests.unit.talk import is_error, say, uid


async def test_sets_round_trip_with_aware_utc(uow_factory: SqlUnitOfWorkFactory) -> None:
    tokyo = timezone(timedelta(hours=9))
    async with uow_factory() as uow:
        await uow.sets.add(a_set(created_at=T0.astimezone(tokyo)))
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.sets.get_by_place("p1")
    assert loaded == a_set()
    assert loaded is not None and loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(StatementError, match="naive datetime"):
            await uow.sets.add(a_set(created_at=datetime(2026, 1, 1)))


async def test_leaving_without_commit_rolls_back(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
    async with uow_factory() as uow:
        assert await uow.sets.get("s1") is None


async def test_memberships_and_people(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.people.save(Person("u1", "Fay", "Europe/London"))
        await uow.memberships.save(Membership("s1", "u1", Role.FACILITATOR, T0, agreed_at=T0))
        await uow.memberships.save(Membership("s1", "u2", Role.MEMBER, T0 + timedelta(minutes=1)))
        await uow.commit()
    async with uow_factory() as uow:
        m2 = await uow.memberships.get("s1", "u2")
        assert m2 is not None and m2.agreed_at is None
        m2.left_at = T0 + timedelta(hours=1)
        await uow.memberships.save(m2)
        s = await uow.sets.get("s1")
        assert s is not None
        s.status = SetStatus.CLOSED
        await uow.sets.save(s)
        await uow.commit()
    async with uow_factory() as uow:
        active = await uow.memberships.list_active("s1")
        assert [m.user_id for m in active] == ["u1"]
        assert (await uow.people.get("u1")) == Person("u1", "Fay", "Europe/London", None)
        closed = await uow.sets.get("s1")
        assert closed is not None and closed.status is SetStatus.CLOSED


async def test_use_cases_over_the_real_store(uow_factory: SqlUnitOfWorkFactory) -> None:
    clock = FakeClock()
    core = Core(uow=uow_factory, clock=clock)
    await say(core, "fay", "create Ward leaders")
    for name in ("ann", "bo", "cy"):
        clock.advance(minutes=1)
        assert not is_error(await say(core, name, "join"))
    assert is_error(await say(core, "ann", "join"))  # rolled back, nothing changed
    async with uow_factory() as uow:
        learning_set = await uow.sets.get_by_place("test:room")
        assert learning_set is not None
        roster = await uow.memberships.list_active(learning_set.id)
    assert [(m.user_id, m.role) for m in roster] == [
        (uid("fay"), Role.FACILITATOR),
        (uid("ann"), Role.MEMBER),
        (uid("bo"), Role.MEMBER),
        (uid("cy"), Role.MEMBER),
    ]


def test_models_and_migrations_agree(db_url: str) -> None:
    check(db_url)  # raises if `alembic check` finds a difference


async def test_contributions_round_trip(uow_factory: SqlUnitOfWorkFactory) -> None:
    from bot.model import Contribution

    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        for i in range(3):
            await uow.contributions.save(
                Contribution("s1", "p1", f"m{i}", "u1", f"q{i}", T0 + timedelta(minutes=i), "t")
            )
        await uow.contributions.delete("p1", "m1")
        await uow.commit()
    async with uow_factory() as uow:
        thread = await uow.contributions.list_thread("p1", "t")
    assert [c.text for c in thread] == ["q0", "q2"]


async def test_a_clashing_concurrent_change_is_a_conflict_and_saves_nothing(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    from bot.errors import Conflict

    async with uow_factory() as first:
        with pytest.raises(Conflict, match="at the same moment"):
            async with uow_factory() as second:
                # Both looked before either wrote: each sees no set in the place.
                assert await first.sets.get_by_place("p1") is None
                assert await second.sets.get_by_place("p1") is None
                await first.sets.add(a_set(id="s1"))
                await first.commit()
                await second.sets.add(a_set(id="s2"))  # the unique place clashes
                await second.commit()
    async with uow_factory() as uow:
        kept = await uow.sets.get_by_place("p1")
    assert kept is not None and kept.id == "s1"


async def test_two_creates_racing_in_one_place_answer_the_loser_privately(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """The core's answer for the loser of a race is a private Conflict, not an apology."""
    import asyncio

    from bot.dispatch import handle_command
    from tests.unit.talk import ctx_for, private_to

    core = Core(uow=uow_factory, clock=FakeClock())
    outcomes = await asyncio.gather(
        handle_command(core, ctx_for("fay"), "create First"),
        handle_command(core, ctx_for("gus"), "create Second"),
    )
    errors = [o for o in outcomes if is_error(o)]
    assert len(errors) <= 1  # whichever lost the race (or saw the other's set) is told so
    async with uow_factory() as uow:
        learning_set = await uow.sets.get_by_place("test:room")
    assert learning_set is not None and learning_set.name in ("First", "Second")
    for o in errors:
        (text,) = private_to(o, "gus") or private_to(o, "fay")
        assert "already a set" in text or "at the same moment" in text

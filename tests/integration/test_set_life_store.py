"""The set-life repositories on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from adapters.store.uow import SqlUnitOfWorkFactory
from bot.dispatch import Core
from bot.model import (
    AirtimeBid,
    GuestInvitation,
    Meeting,
    PersonSettings,
    SetOptions,
    SponsorLink,
    Statement,
)
from tests.confidential import PLANTED
from tests.fakes import FakeClock
from tests.records import T0, a_set
from tests.unit.talk import is_error, private_to, say


async def test_statements_keep_every_revision(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        for n in (1, 2):
            await uow.statements.add(
                Statement(
                    "s1", "u1", "challenge", n, f"v{n} {PLANTED}", T0 + timedelta(days=n), "u1"
                )
            )
        await uow.statements.add(Statement("s1", None, "challenge", 1, "shared", T0, "u9"))
        await uow.statements.add(Statement("s1", "u1", "goal", 1, "listen", T0, "u1"))
        await uow.commit()
    async with uow_factory() as uow:
        mine = await uow.statements.history("s1", "u1", "challenge")
        shared = await uow.statements.history("s1", None, "challenge")
    assert [(s.revision, s.text) for s in mine] == [(1, f"v1 {PLANTED}"), (2, f"v2 {PLANTED}")]
    assert mine[1].written_at == T0 + timedelta(days=2)
    assert [(s.owner_id, s.text) for s in shared] == [(None, "shared")]


async def test_meetings_guests_bids_and_sponsors(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        for n in range(3):
            await uow.meetings.add(Meeting(f"m{n}", "s1", T0 + timedelta(weeks=n), T0, "series"))
        await uow.guests.add(GuestInvitation("s1", "g1", "m1", "u1", T0))
        await uow.guests.add(GuestInvitation("s1", "g1", "m1", "u1", T0))  # idempotent
        await uow.bids.save(AirtimeBid("s1", "m0", "u2", T0, 20, "first"))
        await uow.bids.save(AirtimeBid("s1", "m0", "u2", T0 + timedelta(minutes=1), 30, None))
        await uow.sponsors.save(SponsorLink("s1", "u2", "boss1", T0))
        await uow.sponsors.save(SponsorLink("s1", "u2", "boss2", T0))  # replaces
        await uow.commit()
    async with uow_factory() as uow:
        m1 = await uow.meetings.get("m1")
        assert m1 is not None
        m1.cancelled_at = T0
        await uow.meetings.save(m1)
        await uow.commit()
    async with uow_factory() as uow:
        upcoming = await uow.meetings.upcoming("s1", T0)
        assert [m.id for m in upcoming] == ["m0", "m2"]
        assert upcoming[0].starts_at.tzinfo is not None
        assert [m.id for m in await uow.meetings.upcoming("s1", T0 + timedelta(days=1))] == ["m2"]
        assert [g.meeting_id for g in await uow.guests.of_user("s1", "g1")] == ["m1"]
        assert [(b.minutes, b.note) for b in await uow.bids.for_meeting("m0")] == [(30, None)]
        link = await uow.sponsors.of_member("s1", "u2")
        assert link is not None and link.sponsor_id == "boss2"
        assert await uow.sponsors.sponsoring("s1", "boss1") == []
        assert [s.member_id for s in await uow.sponsors.sponsoring("s1", "boss2")] == ["u2"]


async def test_settings_and_options_round_trip(uow_factory: SqlUnitOfWorkFactory) -> None:
    mine = PersonSettings(
        "u1",
        (time(8), time(16, 30)),
        (0, 1, 2),
        "fr",
        False,
        True,
        datetime(2026, 12, 10, tzinfo=UTC),
    )
    options = SetOptions(
        "s1", f"Rules {PLANTED}", "shared", (10, 20, 5, 5, 10), "off", False, ("u1", "u2"), "de"
    )
    async with uow_factory() as uow:
        await uow.sets.add(a_set())
        await uow.person_settings.save(PersonSettings("u1"))
        await uow.person_settings.save(mine)
        await uow.set_options.save(options)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.person_settings.get("u1") == mine
        assert await uow.set_options.get("s1") == options
        assert await uow.person_settings.get("nobody") is None
        options.checkin, options.fishbowl, options.live = 4, (), None
        await uow.set_options.save(options)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.set_options.get("s1") == options


async def test_set_life_through_the_core_on_the_real_store(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    clock = FakeClock()
    core = Core(uow=uow_factory, clock=clock)
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    for name in ("ann", "bo"):
        await say(core, name, "join")
        await say(core, name, "agree")
    await say(core, "ann", f"challenge {PLANTED}")
    await say(core, "fay", "schedule every 2 weeks on Tuesday at 14:00 for 4 meetings")
    await say(core, "ann", "bid 20m")
    await say(core, "fay", "close")
    outcome = await say(core, "bo", "challenge too late")
    assert is_error(outcome) and "closed" in private_to(outcome, "bo")[0]
    async with uow_factory() as uow:
        learning_set = await uow.sets.get_by_place("test:room")
        assert learning_set is not None and learning_set.closed_at == clock.current
        meetings = await uow.meetings.upcoming(learning_set.id, clock.current)
        assert len(meetings) == 4
        assert len(await uow.bids.for_meeting(meetings[0].id)) == 1
        assert len(await uow.statements.history(learning_set.id, "test:bo", "challenge")) == 0


async def test_platform_values_too_long_for_their_columns_do_not_break_commands(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """PostgreSQL enforces column lengths (SQLite does not): an over-long mention or
    profile must be refused or cut in the core, not fail as a database error."""
    core = Core(uow=uow_factory, clock=FakeClock())
    await say(core, "fay", "create Ward leaders", tz="x" * 300)
    outcome = await say(core, "fay", f"add <@test:{'x' * 300}>")
    assert is_error(outcome) and "not a mention" in private_to(outcome, "fay")[0]
    assert not is_error(await say(core, "fay", "members", tz="Not/AZone"))

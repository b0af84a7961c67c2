"""`mydata erase` on SQLite and PostgreSQL (DESIGN.md, "Erasure"): after a member has
used everything — a challenge, actions with notes and nudges, a report-back, a log, a
sponsor, a bid, a round as presenter and as asker, a fishbowl — erasing them leaves no
table holding their id or any text of theirs, found by scanning every column of every
table; the other members' records still read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlmodel import SQLModel

from adapters.store.uow import SqlUnitOfWorkFactory
from bot.context import Context
from bot.dispatch import Core, handle_command, handle_event
from bot.events import MessagePosted
from bot.model import Actor, Place, PlaceKind
from tests.confidential import PLANTED
from tests.fakes import FakeClock

ROOM = Place("test:room", PlaceKind.CHANNEL, "test")
ANN, BEN = "test:ann", "test:ben"
ANNS = f"ann-only-{PLANTED}"


def ctx(name: str, place: Place = ROOM) -> Context:
    return Context(place, Actor(f"test:{name}", name))


async def scan(uows: SqlUnitOfWorkFactory, needle: str) -> list[str]:
    """Every table.column holding `needle` anywhere in its text."""
    found = []
    async with uows.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await conn.execute(select(table))).mappings():
                for column, value in row.items():
                    if value is not None and needle in str(value):
                        found.append(f"{table.name}.{column}")
    return sorted(set(found))


async def test_erasure_leaves_no_id_or_text_of_theirs_and_others_still_read(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    core = Core(uow=uow_factory, clock=clock)

    async def say(name: str, words: str, place: Place = ROOM) -> None:
        await handle_command(core, ctx(name, place), words)

    await say("fay", "create Ward leaders")
    for name in ("ann", "ben"):
        await say(name, "join")
        await say(name, "agree")
    await say("fay", "schedule 2026-12-08 14:00 Europe/London")
    await say("ann", f"challenge {ANNS} rota")
    await say("ann", f"goal {ANNS} goal")
    await say("ann", "sponsor <@test:dir>")
    await say("ann", f"bid 10m {ANNS} bid")
    await say("ann", f"commit {ANNS} action by 2026-12-20")
    await say("ann", f"progress 1 {ANNS} note")
    await say("ann", "settings hours 08:00-16:00")
    dm = Place("test:dm-ann", PlaceKind.PERSONAL, "test")
    await say("ann", f"log {ANNS} log", dm)
    await say("ben", "commit ben's own action")
    clock.advance(days=1)
    await say("fay", "round start <@test:ann> live 40m")
    async with uow_factory() as uow:
        learning_set = await uow.sets.get_by_place(ROOM.id)
        assert learning_set is not None
        round_ = await uow.rounds.open_in(learning_set.id)
        assert round_ is not None
        thread = await uow.message_refs.ref_of(f"round:{round_.id}")
    await handle_event(
        core, MessagePosted(ROOM, Actor(BEN, "ben"), "m1", "What matters most to you here?", thread)
    )
    await handle_event(core, MessagePosted(ROOM, Actor(ANN, "ann"), "m2", f"{ANNS} answer", thread))
    await say("fay", "round next")
    await say("fay", "meeting end")
    await say("ann", f"report 1 not done {ANNS} happened")
    await say("ann", f"report 1 held time {ANNS} held")

    assert await scan(uow_factory, ANN), "the member was stored before"
    await say("ann", "mydata erase", dm)
    assert await scan(uow_factory, ANNS), "a warning alone erases nothing"
    await say("ann", "mydata erase confirm", dm)

    assert await scan(uow_factory, ANN) == []
    assert await scan(uow_factory, ANNS) == []
    async with uow_factory.engine.connect() as conn:
        texts = (
            await conn.execute(text("SELECT text FROM contribution ORDER BY message_id"))
        ).all()
        actions = (await conn.execute(text("SELECT owner_id, text FROM action"))).all()
        members = (
            await conn.execute(text("SELECT user_id FROM membership ORDER BY user_id"))
        ).all()
    assert [t for (t,) in texts] == ["What matters most to you here?", "[removed]"]
    assert [tuple(a) for a in actions] == [(BEN, "ben's own action")]
    assert [m for (m,) in members] == [BEN, "test:fay"]
    assert clock.now() < datetime(2026, 12, 3, tzinfo=UTC) + timedelta(days=1)

"""Rounds on the real store (SQLite and PostgreSQL): the console's whole flow, a restart
in every phase, and live phase ends within 2 s under the real scheduler."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from adapters.bootstrap import Runtime, running_scheduler
from adapters.config import Settings
from adapters.console.gateway import user_id_for
from adapters.console.session import ConsoleSession
from adapters.console.time import ConsoleTime, ShiftableClock
from adapters.store.engine import make_engine
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.clock import SystemClock
from bot.dispatch import Core
from bot.messages import Message
from bot.model import HeldMeeting, Mode, Phase, Round
from bot.usecases.round_clock import arm
from tests.confidential import PLANTED
from tests.fakes import RecordingGateway
from tests.polling import eventually

SET_UP = [
    "as fay Europe/London",
    f"create Ward {PLANTED}",
    "as ann Africa/Lagos",
    "join",
    "agree",
    "as ben Asia/Singapore",
    "join",
    "agree",
    "as fay",
]


@dataclass
class Console:
    session: ConsoleSession
    out: io.StringIO
    uow: SqlUnitOfWorkFactory

    async def say(self, *lines: str) -> str:
        start = self.out.tell()
        for line in lines:
            await self.session.handle_line(line, echo=True)
        return self.out.getvalue()[start:]


def console(db_url: str, clock: ShiftableClock, room: str = "room") -> tuple[Console, object]:
    engine = make_engine(db_url)
    uow = SqlUnitOfWorkFactory(engine, clock)
    core = Core(uow=uow, clock=clock)
    out = io.StringIO()
    session = ConsoleSession(core, out, room=room, time=ConsoleTime(core, engine, clock))
    return Console(session, out, uow), engine


async def rows(db_url: str, query: str) -> list[tuple[object, ...]]:
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(query))).all()]
    finally:
        await engine.dispose()


async def test_the_console_runs_a_round_through_the_store(db_url: str) -> None:
    clock = ShiftableClock()
    con, engine = console(db_url, clock)
    try:
        said = await con.say(*SET_UP, "round start @ann live 10m")
        assert "Round: @ann presents (live, 10 min)" in said
        ref = said.split("[#room ")[-1].split("]")[0]
        said = await con.say("as ann", "reply It is about the rota", "wait 2m")
        assert f"[#room {ref}, updated] Revans: Round: @ann presents" in said
        assert "Questions (2/5)" in said
        said = await con.say("as ben", f"reply What matters most? {PLANTED}", "as ann")
        said = await con.say("reply Fairness", "as fay", "round next", "wait 15m")
        assert f"in thread {ref}]" in said and "Time is up for resonance" in said
        assert "`meeting end`" in said
        said = await con.say("meeting end")
        assert "1 round, 1 question asked, 1 answer from presenters." in said
    finally:
        await engine.dispose()  # type: ignore[attr-defined]
    counted = await rows(db_url, "SELECT author_id, role, words FROM round_message ORDER BY role")
    assert counted == [
        (user_id_for("ann"), "answer", 1),
        (user_id_for("ann"), "contribution", 5),
        (user_id_for("ben"), "question", 4),
    ]
    assert await rows(db_url, "SELECT phase FROM learning_round") == [("closed",)]
    (due,) = await rows(db_url, "SELECT count(*) FROM due_work WHERE state = 'pending'")
    assert due == (0,)


@pytest.mark.parametrize("phase", [p for p in Phase if p is not Phase.CLOSED])
async def test_a_restart_in_any_phase_loses_nothing(db_url: str, phase: Phase) -> None:
    clock = ShiftableClock()
    con, engine = console(db_url, clock)
    await con.say(*SET_UP, "round start @ann live 40m")
    for _ in range(list(Phase).index(phase)):
        await con.say("round next")
    await con.say("round pause", "round resume") if phase is Phase.COMMIT else None
    await engine.dispose()  # type: ignore[attr-defined]
    restarted, engine = console(db_url, clock)  # a new process over the same database
    try:
        restarted.session.refs.latest_round = con.session.refs.latest_round
        status = await restarted.say("as fay", "round status")
        assert f"[{phase.value.capitalize()}]" in status
        said = await restarted.say("wait 45m")
        assert "Time is up for resonance" in said and "updated" in said
    finally:
        await engine.dispose()  # type: ignore[attr-defined]
    assert await rows(db_url, "SELECT phase FROM learning_round") == [("closed",)]


class PhaseGateway(RecordingGateway):
    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()
        self.at: datetime | None = None

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        self.at = self.at or datetime.now(UTC)
        self.changed.set()
        await super().update(place_id, message_ref, message)

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        self.at = self.at or datetime.now(UTC)  # an update posted anew (no ref book)
        self.changed.set()
        return await super().post(place_id, message, thread_id=thread_id)


@pytest.fixture
async def runtime(db_url: str, uow_factory: SqlUnitOfWorkFactory) -> AsyncIterator[Runtime]:
    settings = Settings(database_url=db_url, sweep_seconds=30)
    yield Runtime(settings, uow_factory.engine, uow_factory, Core(uow_factory, SystemClock()))


async def test_a_live_phase_ends_within_two_seconds_with_a_30_second_sweep(
    runtime: Runtime,
) -> None:
    clock = ShiftableClock()
    con, engine = console(runtime.settings.database_url, clock)
    await con.say(*SET_UP)
    await engine.dispose()  # type: ignore[attr-defined]
    gateway = PhaseGateway()
    runtime.gateways.register("console", gateway)
    async with running_scheduler(runtime) as service:
        await eventually(lambda: service.sweeps >= 1, timeout=10, what="the first sweep")
        due = datetime.now(UTC) + timedelta(seconds=1)
        async with runtime.uow() as uow:  # a round whose first phase ends in a second
            learning_set = await uow.sets.get_by_place("console:room")
            assert learning_set is not None
            second = timedelta(seconds=1)
            round_ = Round.start(
                "r-precise",
                set_id=learning_set.id,
                meeting_id="h-precise",
                presenter_id=user_id_for("ann"),
                mode=Mode.LIVE,
                lengths=(second, timedelta(minutes=5), second, second, second),
                now=due - second,
                by=user_id_for("fay"),
            )
            await uow.held_meetings.add(HeldMeeting("h-precise", learning_set.id, due, "x"))
            await uow.rounds.add(round_)
            await arm(uow, round_, learning_set, due - second)
            await uow.commit()
        await asyncio.wait_for(gateway.changed.wait(), 10)
    assert gateway.at is not None and timedelta(0) <= gateway.at - due < timedelta(seconds=2)


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_a_second_replica_takes_over_the_phase_timers(
    db_url: str, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Replica A plans a live phase end and stops before it; replica B, sharing the
    database, arms its own timer from the stored row and ends the phase on time."""
    clock = ShiftableClock()
    con, engine = console(db_url, clock)
    await con.say(*SET_UP)
    await engine.dispose()  # type: ignore[attr-defined]
    settings = Settings(database_url=db_url, sweep_seconds=30)
    a = Runtime(settings, uow_factory.engine, uow_factory, Core(uow_factory, SystemClock()))
    second = timedelta(seconds=1)
    async with running_scheduler(a) as service_a:
        await eventually(lambda: service_a.sweeps >= 1, timeout=10, what="A's first sweep")
        due = datetime.now(UTC) + 3 * second
        async with a.uow() as uow:
            learning_set = await uow.sets.get_by_place("console:room")
            assert learning_set is not None
            round_ = Round.start(
                "r-replicas",
                set_id=learning_set.id,
                meeting_id="h-replicas",
                presenter_id=user_id_for("ann"),
                mode=Mode.LIVE,
                lengths=(3 * second, timedelta(minutes=5), second, second, second),
                now=due - 3 * second,
                by=user_id_for("fay"),
            )
            await uow.held_meetings.add(HeldMeeting("h-replicas", learning_set.id, due, "x"))
            await uow.rounds.add(round_)
            await arm(uow, round_, learning_set, due - 3 * second)
            await uow.commit()
    # A has stopped (its timers with it); B starts, finds the row and keeps the time.
    b_engine = make_engine(db_url)
    try:
        b_uow = SqlUnitOfWorkFactory(b_engine)
        b = Runtime(settings, b_engine, b_uow, Core(b_uow, SystemClock()))
        gateway = PhaseGateway()
        b.gateways.register("console", gateway)
        async with running_scheduler(b):
            await asyncio.wait_for(gateway.changed.wait(), 10)
    finally:
        await b_engine.dispose()
    assert gateway.at is not None and timedelta(0) <= gateway.at - due < 2 * second
    assert await rows(db_url, "SELECT phase FROM learning_round") == [("questions",)]

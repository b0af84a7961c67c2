"""Teams redelivery end to end: the Bot Connector may post an activity again. The
inbox (source `teams`, keyed by conversation and activity id, ids only) is written
before the answer, so a redelivered activity is acknowledged and not handled twice;
one whose first delivery never finished is handled once its lease has run out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from adapters.store.engine import make_engine
from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.teams_server import CHANNEL, command, revans_serve
from tests.e2e.teams_steps import (
    FARAH,
    in_channel,
    in_personal_chat,
    private_answer_arrived,
    query,
)
from tests.fakes.bot_connector import FakeConnector


def key_of(body: dict[str, object]) -> str:
    return f"activity:{CHANNEL}:{body['id']}"


async def test_a_redelivered_command_is_handled_once(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    url = fake.url
    create = command(FARAH, f"create Ward {PLANTED}", service_url=url)
    plan = command(FARAH, "schedule 2027-03-04 10:00", service_url=url)
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        for body in (create, create, plan, plan):  # each exactly as first posted
            assert await server.post(body) == 200
        # Farah's next command, answered in her 1:1: anything the doubles said is out by then
        listing = command(FARAH, "schedule", service_url=url)
        assert await server.post(listing) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, FARAH, "2027"))
        logs = server.logs()
    assert in_channel(fake, "made this place the set") == 1
    assert in_channel(fake, "planned a meeting") == 1
    assert len(fake.sent_to(CHANNEL)) == 2
    assert len(in_personal_chat(fake, FARAH)) == 1, "no 'already a set' or 'already planned'"
    assert await query(db_url, "SELECT count(*) FROM learning_set") == [(1,)]
    assert await query(db_url, "SELECT count(*) FROM meeting") == [(1,)]
    rows = await query(db_url, "SELECT key, state FROM inbound_event WHERE source = 'teams'")
    assert sorted(rows) == sorted((key_of(b), "done") for b in (create, plan, listing))
    assert logs.count("redelivered activity acknowledged, not handled again") == 2
    assert_not_leaked(logs, "the Teams server's logs")


async def test_a_redelivery_is_handled_when_its_first_delivery_never_finished(
    db_url: str, tmp_path: Path, fake: FakeConnector
) -> None:
    """A row left `received` (its handler died before answering) is taken over once its
    lease has run out; one still within its lease is a delivery in flight."""
    url = fake.url
    stale = command(FARAH, "create Ward", service_url=url)
    in_flight = command(FARAH, "help", service_url=url)
    now = datetime.now(UTC)
    async with revans_serve(tmp_path, DATABASE_URL=db_url) as server:
        await leave_received(db_url, key_of(stale), now - timedelta(minutes=5))
        await leave_received(db_url, key_of(in_flight), now)
        assert await server.post(in_flight) == 200
        assert await server.post(stale) == 200
        await fake.wait_for(lambda _: in_channel(fake, "made this place the set") == 1)
        assert await server.post(command(FARAH, "members", service_url=url)) == 200
        await fake.wait_for(lambda _: private_answer_arrived(fake, FARAH, "has 1 "))
    assert not private_answer_arrived(fake, FARAH, "Commands"), "help was in flight elsewhere"
    rows = dict(await query(db_url, "SELECT key, state FROM inbound_event"))
    assert rows[key_of(stale)] == "done" and rows[key_of(in_flight)] == "received"


async def leave_received(db_url: str, key: str, at: datetime) -> None:
    engine = make_engine(db_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO inbound_event (source, key, received_at, state) "
                    "VALUES ('teams', :key, :at, 'received')"
                ),
                {"key": key, "at": at},
            )
    finally:
        await engine.dispose()

"""`revans nudges due` and `revans nudges failed` as an operator runs them."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.gateways import GatewayRoutes
from adapters.store.claims import DueWorkStore
from adapters.store.engine import make_engine
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.clock import SystemClock
from bot.dispatch import Core
from scheduler.sweeper import Sweeper
from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env, run_revans
from tests.fakes import FakeClock, RecordingGateway
from tests.integration.sweeping import due_work_counts
from tests.unit.talk import say, uid


async def a_set_with_joiners(db_url: str, *names: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        core = Core(SqlUnitOfWorkFactory(engine), SystemClock())
        await say(core, "fay", f"create Ward {PLANTED}")
        for name in names:
            await say(core, name, "join", tz="Asia/Tokyo")
        return await DueWorkStore(engine).counts_by_state()
    finally:
        await engine.dispose()


async def park_everything_due(db_url: str, at: datetime) -> dict[str, int]:
    """Sweep at `at` with no gateways: every due row is parked as failed."""
    engine = make_engine(db_url)
    try:
        core = Core(SqlUnitOfWorkFactory(engine), FakeClock(at))
        await Sweeper(DueWorkStore(engine), core, GatewayRoutes()).sweep_once()
        return await DueWorkStore(engine).counts_by_state()
    finally:
        await engine.dispose()


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def test_nudges_due_lists_what_would_be_sent_without_sending(db_url: str, tmp_path: Path) -> None:
    before = asyncio.run(a_set_with_joiners(db_url, "ann", "ben"))
    assert before["pending"] == 2
    env = revans_env(DATABASE_URL=db_url)
    now = datetime.now(UTC)

    done = run_revans("nudges", "due", "--at", iso(now), "--json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []  # reminders come a day after joining

    later = now + timedelta(days=2)
    done = run_revans("nudges", "due", "--at", iso(later), "--json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [(w["kind"], w["member"], w["user_id"], w["would"]) for w in listed] == [
        ("agreement.reminder", "ann", uid("ann"), "send"),
        ("agreement.reminder", "ben", uid("ben"), "send"),
    ]
    assert all(w["platform"] == "test" and w["due_at"].endswith("Z") for w in listed)
    assert_not_leaked(done.stdout + done.stderr, "nudges due --json")

    much_later = now + timedelta(days=30)
    done = run_revans("nudges", "due", "--at", iso(much_later), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and all("drop (stale: " in line for line in lines)
    assert "member=ann (test:ann)" in lines[0]
    assert_not_leaked(done.stdout + done.stderr, "nudges due")

    assert (
        asyncio.run(due_work_counts(db_url)) == before
    )  # listing sent nothing and changed nothing


def test_nudges_failed_lists_parked_work_with_its_error(db_url: str, tmp_path: Path) -> None:
    asyncio.run(a_set_with_joiners(db_url, "ann"))
    env = revans_env(DATABASE_URL=db_url)
    done = run_revans("nudges", "failed", env=env, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "no failed due work"

    counts = asyncio.run(park_everything_due(db_url, datetime.now(UTC) + timedelta(days=1)))
    assert counts["failed"] == 1
    done = run_revans("nudges", "failed", "--json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (failed,) = json.loads(done.stdout)
    assert failed["kind"] == "agreement.reminder" and failed["user_id"] == uid("ann")
    assert failed["error"] == "NoGateway: no gateway serves platform 'test'"
    assert failed["attempts"] == 1
    done = run_revans("nudges", "failed", env=env, cwd=tmp_path)
    assert "NoGateway" in done.stdout and uid("ann") in done.stdout
    assert_not_leaked(done.stdout + done.stderr, "nudges failed")


def test_a_bad_instant_is_a_clear_error(tmp_path: Path) -> None:
    env = revans_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'n.db'}")
    for bad in ("tomorrow", "2026-12-01T09:00"):
        done = run_revans("nudges", "due", "--at", bad, env=env, cwd=tmp_path)
        assert done.returncode == 2
        assert "--at" in done.stderr and "2026-12-01T09:00:00Z" in done.stderr
        assert "Traceback" not in done.stderr


NUDGES_FROM = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday


async def three_committed(db_url: str) -> datetime:
    """Ann and Ben in London, Cho in Singapore, each with an action by the same date;
    returns Ann's first nudge moment."""
    engine = make_engine(db_url)
    try:
        core = Core(SqlUnitOfWorkFactory(engine), FakeClock(NUDGES_FROM))
        await say(core, "fay", f"create Ward {PLANTED}", tz="Europe/London")
        for name, zone in (
            ("ann", "Europe/London"),
            ("ben", "Europe/London"),
            ("cho", "Asia/Singapore"),
        ):
            await say(core, name, "join", tz=zone)
            await say(core, name, "agree", tz=zone)
            await say(core, name, f"commit call the ward manager {PLANTED} by 2026-12-11", tz=zone)
        async with SqlUnitOfWorkFactory(engine)() as uow:
            (first, *_) = [n.at for n in await uow.nudges.of_member(uid("ann")) if not n.sent]
        return first
    finally:
        await engine.dispose()


async def sweep_with_recording(db_url: str, at: datetime) -> list[str]:
    """The sweep the scheduler would run at `at`: whom it sent a direct message."""
    engine = make_engine(db_url)
    try:
        gateway = RecordingGateway()
        routes = GatewayRoutes()
        routes.register("test", gateway)
        core = Core(SqlUnitOfWorkFactory(engine), FakeClock(at))
        await Sweeper(DueWorkStore(engine), core, routes).sweep_once()
        return sorted(s.user_id or "" for s in gateway.sent if s.method == "direct")
    finally:
        await engine.dispose()


def test_nudges_due_agrees_with_what_the_sweep_then_sends(db_url: str, tmp_path: Path) -> None:
    at = asyncio.run(three_committed(db_url))
    env = revans_env(DATABASE_URL=db_url)
    done = run_revans("nudges", "due", "--at", iso(at), "--json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = [(w["kind"], w["user_id"], w["would"], w["reason"]) for w in json.loads(done.stdout)]
    # Ann and Ben at 09:00 in London; Cho's 09:00 in Singapore came earlier, but at `at` it is
    # 17:00 there, past her working day: the sweep would move it, not send it
    assert sorted(listed) == [
        ("action.nudge", uid("ann"), "send", None),
        ("action.nudge", uid("ben"), "send", None),
        ("action.nudge", uid("cho"), "drop", "outside working time: moved"),
    ]
    assert_not_leaked(done.stdout + done.stderr, "nudges due --json")
    sent = asyncio.run(sweep_with_recording(db_url, at))
    assert sent == sorted(u for _, u, would, _ in listed if would == "send")

"""The CLI as a user runs it: demo, console, db upgrade, help and bad settings."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from adapters.store.engine import make_engine
from bot.model import Role
from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env, run_revans


async def set_rows(db_url: str) -> list[tuple[str, str, int, list[tuple[str, str]]]]:
    from sqlalchemy import text

    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            sets = (await conn.execute(text("SELECT id, name, place_id FROM learning_set"))).all()
            result = []
            for set_id, name, place in sets:
                rows = (
                    await conn.execute(
                        text(
                            "SELECT user_id, role FROM membership"
                            " WHERE set_id = :s AND left_at IS NULL ORDER BY joined_at"
                        ),
                        {"s": set_id},
                    )
                ).all()
                people = (await conn.execute(text("SELECT count(*) FROM person"))).scalar_one()
                result.append((name, place, people, [(u, r) for u, r in rows]))
            return result
    finally:
        await engine.dispose()


def test_demo_prints_a_transcript_and_leaves_its_rows(db_url: str, tmp_path: Path) -> None:
    done = run_revans("demo", env=revans_env(DATABASE_URL=db_url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "farah> create Ward leaders 2026" in done.stdout
    assert "[only amara sees] Revans: Welcome to “Ward leaders 2026”" in done.stdout
    assert "Did you mean `members`?" in done.stdout
    assert "Revans: Noted as your action 1, due Fri 18 Dec 2026 23:59 WAT" in done.stdout
    assert "1: @amara — sit in on a night handover on each ward · open, due" in done.stdout
    assert "Revans: @amara did action 1: sit in on a night handover" in done.stdout
    ((name, place, people, roster),) = asyncio.run(set_rows(db_url))
    assert name == "Ward leaders 2026" and place.startswith("console:demo-")
    assert roster == [
        ("console:farah", Role.FACILITATOR.value),
        ("console:amara", "member"),
        ("console:ben", "member"),
        ("console:chen", "member"),
        ("console:dana", "member"),
    ]  # emil left
    assert people == 6
    assert asyncio.run(set_life_rows(db_url)) == {
        "challenge revisions": 5,  # four members, and Amara's revision
        "goals": 4,
        "meetings": 6,
        "bids": 3,
        "agreements accepted": 6,  # farah on create, five joiners (emil then left)
        "agreement texts": 1,
    }
    assert "Your challenge is revised (revision 2; earlier ones are kept)." in done.stdout
    assert "[form for amara] Your development goal" in done.stdout
    assert "(your time zone: Asia/Singapore)" in done.stdout
    assert "“10” needs a unit" in done.stdout
    assert "coming soon" not in done.stdout and "Sorry" not in done.stdout
    # weeks of nudges in three zones (Ben's at his night shift's start), pressed by button
    assert "[DM to ben m" in done.stdout and "(Tue 15 Dec 2026 22:00 UTC)" in done.stdout
    assert "now: Snoozed: I'll nudge you again" in done.stdout
    assert "@ben did action 3: ask the finance lead" in done.stdout
    assert "[DM to director" in done.stdout and "shares progress on an action" in done.stdout
    # report-back at the next meeting, privately, and the facilitator's counts
    assert "what held you back: priorities changed" in done.stdout
    assert "report-backs: 3 in groups under three (not shown)" in done.stdout
    assert "[file for amara] learning-log-" in done.stdout
    assert "[file for amara] revans-mydata-" in done.stdout
    transcript = done.stdout
    for seen in (
        "The set meets at",  # the reminder, an hour before
        "Check-in: how are you arriving today?",
        "1: @amara — 20 min",  # the fair agenda: larger bid first, nobody has presented
        "Round: @amara presents (live, 40 min).",
        "Questions (2/5), until",
        "5 minutes left for questions",
        ", updated] Revans: Round: @amara presents",  # the round's message, in place
        "Round: @dana presents (async, 3 days).",
        "] Revans: In “Ward leaders 2026”, the set is asking @dana questions",
        "Time is up for resonance.",
        "Whose voice was heard, and whose was not?",
        "2 rounds, 5 questions asked, 3 answers from presenters",
    ):
        assert seen in transcript, seen
    assert asyncio.run(round_rows(db_url)) == [("closed", "live"), ("closed", "async")]


async def round_rows(db_url: str) -> list[tuple[str, str]]:
    from sqlalchemy import text

    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            query = "SELECT phase, mode FROM learning_round ORDER BY started_at"
            return [(p, m) for p, m in (await conn.execute(text(query))).all()]
    finally:
        await engine.dispose()


async def set_life_rows(db_url: str) -> dict[str, int]:
    from sqlalchemy import text

    queries = {
        "challenge revisions": "SELECT count(*) FROM statement WHERE kind = 'challenge'",
        "goals": "SELECT count(*) FROM statement WHERE kind = 'goal'",
        "meetings": "SELECT count(*) FROM meeting WHERE cancelled_at IS NULL",
        "bids": "SELECT count(*) FROM airtime_bid",
        "agreements accepted": "SELECT count(*) FROM membership WHERE agreed_at IS NOT NULL",
        "agreement texts": "SELECT count(*) FROM set_options WHERE agreement IS NOT NULL",
    }
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            return {k: (await conn.execute(text(q))).scalar_one() for k, q in queries.items()}
    finally:
        await engine.dispose()


def test_demo_runs_twice_on_the_same_database(tmp_path: Path) -> None:
    env = revans_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'twice.db'}")
    for _ in range(2):
        done = run_revans("demo", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert len(asyncio.run(set_rows(env["DATABASE_URL"]))) == 2


def test_demo_uses_the_embedded_default_database(tmp_path: Path) -> None:
    env = revans_env()
    env.pop("DATABASE_URL", None)
    done = run_revans("demo", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "revans.db").exists()


def test_console_switches_speakers_and_keeps_content_out_of_logs(tmp_path: Path) -> None:
    env = revans_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'c.db'}", LOG_LEVEL="DEBUG")
    script = (
        f"as fay\ncreate Ward {PLANTED}\n"
        "as ann Asia/Tokyo\njoin\nagree\nmembers\nas nobody\nmembers\n"
    )
    done = run_revans("console", env=env, cwd=tmp_path, stdin=script)
    assert done.returncode == 0, done.stderr
    assert f"made this place the set “Ward {PLANTED}”" in done.stdout
    assert "member: @ann" in done.stdout and "(Asia/Tokyo)" in done.stdout
    assert "[only nobody sees] Revans: Only members of this set can do that." in done.stdout
    assert_not_leaked(done.stderr, "the console's logs")


def test_db_upgrade_is_idempotent(db_url: str, tmp_path: Path) -> None:
    for _ in range(2):
        done = run_revans("db", "upgrade", env=revans_env(DATABASE_URL=db_url), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "up to date" in done.stdout


@pytest.mark.parametrize(
    "args", [["--help"], ["serve", "--help"], ["db", "--help"], ["demo", "--help"]]
)
def test_help_everywhere(args: list[str], tmp_path: Path) -> None:
    done = run_revans(*args, env=revans_env(), cwd=tmp_path)
    assert done.returncode == 0 and "usage: revans" in done.stdout


def test_bad_setting_fails_at_start_naming_it(tmp_path: Path) -> None:
    done = run_revans("demo", env=revans_env(PORT="eighty"), cwd=tmp_path)
    assert done.returncode == 2
    assert "PORT" in done.stderr and "Traceback" not in done.stderr
    done = run_revans(
        "demo", env=revans_env(SLACK_API_URL="https://slack.example/api"), cwd=tmp_path
    )
    assert done.returncode == 2 and "SLACK_API_URL" in done.stderr


def test_serve_on_a_port_already_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = revans_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
        done = run_revans("serve", "--host", "127.0.0.1", "--port", port, env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr

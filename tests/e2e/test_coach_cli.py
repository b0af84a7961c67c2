"""`revans coach classify` as a user runs it: lines in, JSON lines out, no database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.cli import revans_env, run_revans


def test_coach_classify_reads_lines_and_writes_json_lines(tmp_path: Path) -> None:
    lines = [
        "Have you tried a weekly huddle?",
        f"What would success look like for {PLANTED}?",
        "",
        "You should speak to the union rep.",
        "Did you tell your manager",
        "Gracias por compartir 🙏",
        "Thanks <@slack:T1:U2>!",
    ]
    env = revans_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    env["LOG_LEVEL"] = "DEBUG"
    done = run_revans("coach", "classify", env=env, cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in records] == lines
    assert [r["kind"] for r in records] == [
        "leading", "open", "other", "advice", "closed", "other", "other",
    ]  # fmt: skip
    assert records[0]["suggestion"] == (
        "What have you tried so far, and what do you make of a weekly huddle?"
    )
    assert "the union rep" in records[3]["suggestion"]
    assert records[4]["suggestion"].startswith("What ")
    assert all(r["suggestion"] is None for r in records if r["kind"] in {"open", "other"})
    assert not (tmp_path / "unused.db").exists()  # no database needed
    assert_not_leaked(done.stderr, "the coach's logs")


def test_coach_classify_with_empty_input_writes_nothing(tmp_path: Path) -> None:
    done = run_revans("coach", "classify", env=revans_env(), cwd=tmp_path, stdin="")
    assert done.returncode == 0 and done.stdout == ""


def test_coach_help(tmp_path: Path) -> None:
    done = run_revans("coach", "classify", "--help", env=revans_env(), cwd=tmp_path)
    assert done.returncode == 0 and "stdin" in done.stdout


def test_coach_classify_survives_undecodable_bytes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "coach", "classify"],
        input=b"What \xff\xfe would help?\nYou should go.\n",
        env=revans_env(),
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    kinds = [json.loads(line)["kind"] for line in done.stdout.decode().splitlines()]
    assert kinds == ["open", "advice"]

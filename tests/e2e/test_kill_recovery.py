"""`kill -9` with 200 acknowledged slash commands: a restarted `revans serve` answers every
one of them within a minute (a short lease, as a test may set), on both databases.

The first server acknowledges all 200 but can answer none (the fake Slack holds every
`chat.postEphemeral`), so at the kill some commands have committed with their answers
queued in the outbox and the rest are still only in the inbox. The second server takes
both over once the 2-second lease runs out: the outbox is drained, the inbox replayed,
each at full speed.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

from tests.e2e.slack_client import RevansServer, SlackSender
from tests.fakes.slack_web_api import FakeSlack, RunningFake
from tests.polling import eventually

COMMANDS = 200
USERS = [f"UK{n:04d}" for n in range(COMMANDS)]


def answered(fake: FakeSlack) -> set[str]:
    return {c.args["user"] for c in fake.ok_calls("chat.postEphemeral")}


async def test_a_killed_servers_acknowledged_commands_are_all_answered_after_restart(
    db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    async with RunningFake(FakeSlack()) as fake:
        fake.hold("chat.postEphemeral")  # the first server gets no answer out
        async with RevansServer(
            tmp_path / "first", db_url, fake, REVANS_LEASE_SECONDS="2"
        ) as first:
            sender = SlackSender(first, fake)
            statuses = await asyncio.gather(*(sender.command(u, "help") for u in USERS))
            assert [status for status, _ in statuses] == [200] * COMMANDS
            assert first.process is not None
            first.process.kill()  # kill -9: no shutdown, no finally
            await asyncio.to_thread(first.process.wait, 10)
        assert answered(fake) == set()
        del fake.held["chat.postEphemeral"]  # Slack answers again (the dead calls stay held)

        started = time.monotonic()
        async with RevansServer(
            tmp_path / "second", db_url, fake, REVANS_LEASE_SECONDS="2"
        ) as second:
            await eventually(
                lambda: answered(fake) == set(USERS),
                timeout=60.0,
                what="all 200 acknowledged commands answered",
                explain=lambda: f"{len(answered(fake))} answered\n{second.output()[-2000:]}",
            )
            took = time.monotonic() - started
            print(f"\nrecovered {COMMANDS} commands in {took:.1f}s ({db_url.split(':')[0]})")
        assert second.returncode == 0, second.output()[-2000:]


def test_the_kill_is_a_real_sigkill() -> None:
    """The helper above relies on Popen.kill being SIGKILL (no handlers run)."""
    process = subprocess.Popen(["sleep", "30"])
    process.kill()
    assert process.wait(5) == -9

"""Recovery after `kill -9`: how long a restarted `revans serve` takes to answer every
slash command the killed one had acknowledged.

Starts the fake Slack Web API and `revans serve` (SQLite in a temporary directory, or
DATABASE_URL if set) on 127.0.0.1 with a short lease; the fake holds every
`chat.postEphemeral`, so the first server acknowledges N signed `/set help` commands but
answers none (some are committed with their answers in the outbox, the rest only in the
inbox). It is killed with SIGKILL, Slack answers again, and a second server starts: the
figure is from its start to the last of the N answers reaching the fake, server start-up
included. Bounded in count and time; loopback only.

    python bench/recovery.py [--commands 200] [--lease 2]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch import bench_database
from tests.e2e.slack_client import RevansServer, SlackSender
from tests.fakes.slack_web_api import FakeSlack, RunningFake
from tests.polling import eventually


def answered(fake: FakeSlack) -> set[str]:
    return {c.args["user"] for c in fake.ok_calls("chat.postEphemeral")}


async def bench(commands: int, lease: float) -> None:
    users = {f"UB{n:05d}" for n in range(commands)}
    with tempfile.TemporaryDirectory() as tmp:
        async with bench_database(tmp) as db_url:
            first_dir, second_dir = Path(tmp, "first"), Path(tmp, "second")
            first_dir.mkdir()
            second_dir.mkdir()
            env = {"LOG_LEVEL": "WARNING", "REVANS_LEASE_SECONDS": str(lease)}
            async with RunningFake(FakeSlack()) as fake:
                fake.hold("chat.postEphemeral")
                async with RevansServer(first_dir, db_url, fake, **env) as first:
                    sender = SlackSender(first, fake)
                    sent = time.monotonic()
                    await asyncio.gather(*(sender.command(user, "help") for user in sorted(users)))
                    acked = time.monotonic() - sent
                    assert first.process is not None
                    first.process.kill()
                    await asyncio.to_thread(first.process.wait, 10)
                del fake.held["chat.postEphemeral"]
                started = time.monotonic()
                async with RevansServer(second_dir, db_url, fake, **env):
                    await eventually(lambda: answered(fake) >= users, timeout=300.0, what="answers")
                    took = time.monotonic() - started
    backend = db_url.split(":")[0]
    print(f"{commands} commands acknowledged in {acked:.1f}s, then kill -9 ({backend})")
    print(f"restarted server answered all {commands} in {took:.1f}s (start-up included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--lease", type=float, default=2.0)
    args = parser.parse_args()
    asyncio.run(bench(max(1, min(args.commands, 5000)), max(0.5, args.lease)))


if __name__ == "__main__":
    main()

"""Replies per second through `revans serve` (Teams, emulator mode) to the local fake
Bot Connector, against a bare botbuilder echo bot on the same fake.

    python bench/teams_replies.py [--messages 600] [--concurrency 20] [--tenants 10]
    DATABASE_URL=postgresql+asyncpg://… python bench/teams_replies.py   # default: SQLite

Messages are spread over `--conversations` 1:1 chats, since Revans paces each
conversation to Teams' published limits (a real Teams would throttle a bare echo
bot there too), and over `--tenants` tenants (default 1, as in one NHS trust): Revans
also paces each tenant to Teams' 50 requests per second per bot, so with one tenant its
rate is capped at 50 replies/s; spread the chats over several to measure the processing.
Each message is a 1:1 `help` command (Revans: parse, one transaction, render, send
from a background task) or plain text (the echo bot: one reply). The clock runs from
the first request to the last reply recorded by the fake. Each request's acknowledgement
time (POST to HTTP answer) is recorded too; the run prints p50 and p99 of both servers and
the ratios (goal: Revans's ack p99 no worse than the echo bot's, and at least 3x its replies
per second).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import bench_database  # noqa: E402
from tests.e2e.cli import revans_env  # noqa: E402
from tests.e2e.teams_server import Person, activity, free_port  # noqa: E402
from tests.fakes.bot_connector import FakeConnector  # noqa: E402
from tests.polling import eventually  # noqa: E402


async def wait_healthy(http: aiohttp.ClientSession, url: str) -> None:
    async def healthy() -> bool:
        try:
            async with http.get(url + "/healthz") as r:
                return r.status == 200
        except aiohttp.ClientConnectionError:
            return False

    await eventually(healthy, timeout=60, what=f"{url} to be healthy")


class Figures:
    def __init__(self, rate: float, acks: list[float]) -> None:
        self.rate = rate
        cuts = statistics.quantiles(acks, n=100, method="inclusive")
        self.p50, self.p99 = cuts[49] * 1000, cuts[98] * 1000


async def measure(
    name: str, command: list[str], env: dict[str, str], args: argparse.Namespace
) -> Figures:
    fake = FakeConnector()
    await fake.start()
    port = free_port()
    process = subprocess.Popen(
        [*command, str(port)] if name == "echo" else [*command, "--port", str(port)],
        env=env,
        cwd=args.workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        connector = aiohttp.TCPConnector(limit=args.concurrency)
        async with aiohttp.ClientSession(connector=connector) as http:
            await wait_healthy(http, url)
            people = [Person(f"P{i}") for i in range(args.conversations)]
            bodies = [
                activity(
                    people[i % len(people)],
                    "help",
                    service_url=fake.url,
                    conversation=f"a:bench-{i % len(people)}",
                    kind="personal",
                )
                for i in range(args.warmup + args.messages)
            ]
            for i, body in enumerate(bodies):  # each chat in its tenant (`--tenants`)
                tenant = f"tenant-{(i % len(people)) % args.tenants:04d}"
                body["conversation"]["tenantId"] = tenant  # type: ignore[index]
                body["channelData"]["tenant"]["id"] = tenant  # type: ignore[index]
            await run(http, url, bodies[: args.warmup], fake, args.warmup, args.concurrency)
            started = time.perf_counter()
            acks = await run(
                http,
                url,
                bodies[args.warmup :],
                fake,
                args.warmup + args.messages,
                args.concurrency,
            )
            elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(30)
        await fake.stop()
    figures = Figures(args.messages / elapsed, acks)
    print(
        f"{name:>8}: {args.messages} replies in {elapsed:.2f}s = {figures.rate:.0f} replies/s;"
        f" ack p50 {figures.p50:.1f} ms, p99 {figures.p99:.1f} ms"
    )
    return figures


async def run(
    http: aiohttp.ClientSession,
    url: str,
    bodies: list[dict[str, object]],
    fake: FakeConnector,
    expected: int,
    concurrency: int,
) -> list[float]:
    """Post every body, `concurrency` at a time; wait for the replies; the ack times."""
    queue = list(reversed(bodies))
    acks: list[float] = []

    async def worker() -> None:
        while queue:
            body = queue.pop()
            sent = time.perf_counter()
            async with http.post(url + "/api/messages", json=body) as r:
                assert r.status in (200, 201), r.status
            acks.append(time.perf_counter() - sent)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    await fake.wait_for(
        lambda rs: sum(1 for r in rs if r.method == "POST" and r.conversation_id) >= expected,
        timeout=120,
    )
    return acks


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument(
        "--warmup", type=int, default=None, help="default: one message per conversation"
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--conversations",
        type=int,
        default=250,
        help="distinct 1:1 chats; Revans paces each to Teams' limits (7/s, 8 per 2 s, …)",
    )
    parser.add_argument(
        "--tenants",
        type=int,
        default=1,
        help="tenants the chats are spread over; Revans paces each tenant to 50 requests/s",
    )
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = args.conversations
    with tempfile.TemporaryDirectory() as workdir:  # the database and both servers' cwd
        args.workdir = workdir
        async with bench_database(workdir) as url:
            env = revans_env(DATABASE_URL=url, LOG_LEVEL="WARNING")
            revans = [sys.executable, "-m", "adapters.cli", "serve", "--host", "127.0.0.1"]
            echo = [sys.executable, str(ROOT / "bench" / "echo_bot.py")]
            ours = await measure("revans", revans, env, args)
            base = await measure("echo", echo, env, args)
    print(
        f"revans / bare botbuilder echo: replies/s {ours.rate / base.rate:.1f}x (goal >= 3x),"
        f" ack p99 {ours.p99 / base.p99:.2f}x (goal <= 1x), ack p50 {ours.p50 / base.p50:.2f}x"
    )


if __name__ == "__main__":
    asyncio.run(main())

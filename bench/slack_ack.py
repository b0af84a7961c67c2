"""Acknowledgements per second for signed slash commands against a real `revans serve`.

Starts the fake Slack Web API and `revans serve` (SQLite in a temporary directory,
or DATABASE_URL if set) on 127.0.0.1, sends N signed `/set help` commands with C
in flight at once, and reports acks/s and ack latency (the time Slack would wait).
Then waits until every private answer reached the fake, so the figure is for
commands that were also handled. Bounded in count and time; loopback only.

    python bench/slack_ack.py [--requests 400] [--concurrency 20]  # both, and the ratios
    python bench/slack_ack.py --bare | --revans-only
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scratch import bench_database
from tests.e2e.slack_client import RevansServer, SlackSender, sign
from tests.fakes.slack_web_api import FakeSlack, RunningFake


async def bench(requests: int, concurrency: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        async with bench_database(tmp) as db_url, RunningFake(FakeSlack()) as fake:
            server = RevansServer(Path(tmp), db_url, fake, LOG_LEVEL="WARNING")
            async with server:
                return await run(server, SlackSender(server, fake), fake, requests, concurrency)


class BareBolt:
    """`bench/bare_bolt.py` in its own process, like `revans serve` (see there)."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    async def __aenter__(self) -> BareBolt:
        script = Path(__file__).with_name("bare_bolt.py")
        self.process = subprocess.Popen([sys.executable, str(script), "--port", str(self.port)])
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.post(f"{self.url}/slack/events", data="") as response:
                        await response.read()
                        return self
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
        raise RuntimeError("the bare Bolt app did not start")

    async def __aexit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)


async def bench_bare(requests: int, concurrency: int) -> tuple[float, float]:
    async with RunningFake(FakeSlack()) as fake, BareBolt() as server:
        send = SlackSender(server, fake)  # type: ignore[arg-type]  # only .url is used
        return await run(server, send, fake, requests, concurrency, answers=False)  # type: ignore[arg-type]


async def run(
    server: RevansServer,
    send: SlackSender,
    fake: FakeSlack,
    requests: int,
    concurrency: int,
    *,
    answers: bool = True,
) -> tuple[float, float]:
    run = uuid.uuid4().hex[:8]  # trigger ids new to the inbox, so a reused database answers
    bodies = [
        send.command_body(f"U{i % 50:04d}", "help", trigger=f"{i}.{run}.bench")
        for i in range(requests)
    ]
    latencies: list[float] = []
    statuses: list[int] = []
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(body: str) -> None:
            async with gate:
                ts = int(time.time())
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Slack-Request-Timestamp": str(ts),
                    "X-Slack-Signature": sign(body, ts),
                }
                start = time.perf_counter()
                async with session.post(
                    f"{server.url}/slack/events", data=body, headers=headers
                ) as response:
                    await response.read()
                latencies.append(time.perf_counter() - start)
                statuses.append(response.status)

        warm = send.command_body("UWARM", "help", trigger=f"warm.{run}.bench")
        await one(warm)  # first delivery: auth.test, warm caches
        if answers:  # and its handling, the first of the process (statements compiled, …)
            await answers_reach(fake, 1, "the warm-up's answer", timeout=30)
        cold = latencies.pop()
        statuses.pop()
        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(one(b) for b in bodies)), timeout=120)
        acked = time.perf_counter() - started
    if answers:
        await answers_reach(fake, requests + 1, "answers")
    answered = time.perf_counter() - started
    latencies.sort()
    figures = (requests / acked, latencies[int(len(latencies) * 0.99) - 1])
    print(
        f"requests={requests} concurrency={concurrency} non-200={sum(s != 200 for s in statuses)}"
    )
    report_acks(requests, acked, latencies, cold)
    if answers:
        print(f"all answers delivered after {answered:.2f}s ({requests / answered:.0f} commands/s)")
    return figures


async def answers_reach(fake: FakeSlack, count: int, what: str, timeout: float = 120) -> None:
    """Wait until `count` private answers (`chat.postEphemeral`) have reached the fake."""
    await fake.wait_for(
        lambda: len(fake.ok_calls("chat.postEphemeral")) >= count, timeout=timeout, what=what
    )


def report_acks(requests: int, acked: float, latencies: list[float], cold: float) -> None:
    """Print acks per second and the ack latencies (`latencies` sorted, in seconds)."""
    print(f"acks/s: {requests / acked:.0f}")
    print(
        f"ack latency ms: p50={statistics.median(latencies) * 1000:.1f}"
        f" p95={latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f}"
        f" p99={latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f}"
        f" max={latencies[-1] * 1000:.1f}"
    )
    print(f"first (cold) ack ms: {cold * 1000:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--bare", action="store_true", help="only the bare Bolt app")
    parser.add_argument("--revans-only", action="store_true", help="only revans serve")
    args = parser.parse_args()
    if not 0 < args.requests <= 5000 or not 0 < args.concurrency <= 100:
        parser.error("keep it bounded: requests 1..5000, concurrency 1..100")
    if args.bare:
        asyncio.run(bench_bare(args.requests, args.concurrency))
        return
    if args.revans_only:
        asyncio.run(bench(args.requests, args.concurrency))
        return
    print("== bare slack-bolt app, ack only")
    bare_rate, bare_p99 = asyncio.run(bench_bare(args.requests, args.concurrency))
    print("== revans serve")
    rate, p99 = asyncio.run(bench(args.requests, args.concurrency))
    print(
        f"== revans / bare: throughput {rate / bare_rate:.2f}x (goal >= 0.7),"
        f" p99 {p99 / bare_p99:.2f}x (goal <= 1.3)"
    )


if __name__ == "__main__":
    main()

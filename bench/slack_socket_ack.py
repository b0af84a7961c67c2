"""Acknowledgements per second for slash commands over Socket Mode (`revans serve --socket-mode`).

Starts the fake Slack Web API, the fake Socket Mode server and `revans serve
--socket-mode` (SQLite in a temporary directory, or DATABASE_URL if set) on 127.0.0.1,
pushes N `/set help` envelopes with C unacknowledged at once, and reports acks/s and
ack latency (push to `{"envelope_id": …}` back: the time Slack would wait). Then waits
until every private answer reached the fake, so the figure is for commands that were
also handled. Bounded in count and time; loopback only.

    python bench/slack_socket_ack.py [--requests 400] [--concurrency 20]
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
from bench.slack_ack import answers_reach, report_acks
from tests.e2e.slack_socket import SocketSender, socket_server
from tests.fakes.slack_socket_mode import FakeSocketMode, RunningSocketMode
from tests.fakes.slack_web_api import FakeSlack, RunningFake


async def bench(requests: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            bench_database(tmp) as db_url,
            RunningSocketMode(FakeSocketMode()) as socket,
            RunningFake(FakeSlack()) as fake,
        ):
            fake.socket_url = socket.url
            async with socket_server(Path(tmp), db_url, fake, LOG_LEVEL="WARNING") as server:
                await socket.connected()
                await run(SocketSender(server, fake, socket), fake, requests, concurrency)


async def run(send: SocketSender, fake: FakeSlack, requests: int, concurrency: int) -> None:
    bodies = [send.command_body(f"U{i % 50:04d}", "help") for i in range(requests)]
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(body: str) -> None:
        async with gate:
            start = time.perf_counter()
            await send.post(body, "application/x-www-form-urlencoded")
            latencies.append(time.perf_counter() - start)

    await one(send.command_body("UWARM", "help"))  # first delivery: auth.test, warm caches
    cold = latencies.pop()
    # and its handling, the first of the process (statements compiled, …), as in slack_ack
    await answers_reach(fake, 1, "the warm-up's answer", timeout=30)
    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one(b) for b in bodies)), timeout=120)
    acked = time.perf_counter() - started
    await answers_reach(fake, requests + 1, "answers")
    answered = time.perf_counter() - started
    latencies.sort()
    print(f"requests={requests} concurrency={concurrency} (Socket Mode)")
    report_acks(requests, acked, latencies, cold)
    print(f"all answers delivered after {answered:.2f}s ({requests / answered:.0f} commands/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    if not 0 < args.requests <= 5000 or not 0 < args.concurrency <= 100:
        parser.error("keep it bounded: requests 1..5000, concurrency 1..100")
    asyncio.run(bench(args.requests, args.concurrency))


if __name__ == "__main__":
    main()

"""A sweeper in its own OS process, for the multi-process exactly-once test and the bench.

    python -m tests.integration.sweep_worker --database-url URL --record FILE \
        [--ready FILE --go FILE] [--batch N]

Registers the `test.record` kind, waits for the go file (so several workers start
together), sweeps until nothing is due, and appends the key of every message it
delivers to FILE, one per line.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from adapters.gateways import GatewayRoutes
from adapters.store.claims import DueWorkStore
from adapters.store.engine import make_engine
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.catalogue import KINDS
from bot.clock import SystemClock
from bot.dispatch import Core
from bot.duework import DueResult, DueWork, Send, WorkKind
from bot.messages import Direct, Form, Message, Outcome, Outgoing
from bot.ports import UnitOfWork
from scheduler.sweeper import RetryPolicy, Sweeper
from tests.integration.sweeping import RECORDED_KIND, RECORDING_PLATFORM
from tests.polling import eventually_sync


async def record(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    assert item.user_id is not None
    return Send(Outcome((Outgoing(Direct(item.user_id), Message.text("hello")),)))


def register_kind() -> None:
    KINDS[RECORDED_KIND] = WorkKind(RECORDED_KIND, record)


class FileGateway:
    """Appends the work key of each message it is given to a file."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def _record(self, message: Message) -> str:
        self.out.write(f"{message.key}\n")
        self.out.flush()
        return "ref"

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        return self._record(message)

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        self._record(message)

    async def direct(self, user_id: str, message: Message) -> str:
        return self._record(message)

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        self._record(message)

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        raise NotImplementedError

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        raise NotImplementedError


async def sweep(database_url: str, out: TextIO, batch: int, owner: str) -> int:
    register_kind()
    engine = make_engine(database_url)
    try:
        routes = GatewayRoutes()
        routes.register(RECORDING_PLATFORM, FileGateway(out))
        core = Core(SqlUnitOfWorkFactory(engine), SystemClock())
        policy = RetryPolicy(batch=batch, lease=timedelta(minutes=5))
        sweeper = Sweeper(DueWorkStore(engine), core, routes, policy, owner=owner)
        report = await sweeper.sweep_once()
        return report.delivered
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--record", type=Path, required=True)
    parser.add_argument("--ready", type=Path)
    parser.add_argument("--go", type=Path)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--owner", default="worker")
    args = parser.parse_args()
    if args.ready and args.go:
        args.ready.touch()
        eventually_sync(args.go.exists, timeout=60, what=f"the go file {args.go}")
    with args.record.open("a") as out:
        delivered = asyncio.run(sweep(args.database_url, out, args.batch, args.owner))
    print(delivered)


if __name__ == "__main__":
    main()

"""The outbox: replies queued in the transaction that produced them, sent after it commits.

A row is one message or form (`bot.messages.Outgoing` / `OpenForm`), its rendered
content as JSON (`adapters.store.message_codec`) kept only until it is sent, the
delivery it answers (`origin`: ids only) and a lease (`run_at`): a row is not taken by
a sender before `run_at`. Queued rows start leased to the process that queued them,
which sends them right after its commit; if it dies first, any sender takes them over
once the lease runs out (`take`). States: pending → sent (content cleared) | failed
(parked after too many attempts, content cleared: an operator sees ids and the error
class, never the text).

See `bot.outbox` for the guarantee this gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import Field, SQLModel

from adapters.store.engine import writing
from adapters.store.inbox import DONE
from adapters.store.inbox import TABLE as INBOX
from adapters.store.message_codec import Item, decode_item, encode_item
from adapters.store.types import UTCDateTime
from bot.messages import OpenForm, Outcome, Outgoing
from bot.outbox import Receipt

DEFAULT_LEASE = timedelta(seconds=15)
MAX_ATTEMPTS = 6


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def _utc(*, nullable: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime(), nullable=nullable)


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_run_at", "state", "run_at"),
        Index("ix_outbox_origin", "origin"),
    )

    id: str = Field(primary_key=True, max_length=32)
    origin: str = Field(max_length=320)
    """The delivery (or due work) it answers: source and inbox key, ids only."""
    position: int
    """Order within its origin: rows of one origin are sent in this order."""
    created_at: datetime = _utc()
    run_at: datetime = _utc()
    state: str = Field(max_length=16)
    attempts: int = 0
    payload: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """The rendered item while it is pending; None once sent or parked."""
    last_error: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = _utc(nullable=True)


T: Table = OutboxRow.__table__  # type: ignore[attr-defined]


class SqlInboxReceipts:
    """Marks a delivery handled inside the unit of work that runs it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def finish(self, receipt: Receipt) -> None:
        if not receipt.keys:
            return
        if len(receipt.keys) == 1:  # most deliveries: no IN list to expand per execution
            await self.session.execute(
                _FINISH_ONE, {"of_source": receipt.source, "of_key": receipt.keys[0]}
            )
            return
        await self.session.execute(
            _FINISH, {"of_source": receipt.source, "of_keys": list(receipt.keys)}
        )


# Built once: SQLAlchemy then finds their compiled form by the statement object alone
# instead of walking a new statement's tree for its cache key on every command.
_FINISH = (
    update(INBOX)
    .where(
        and_(
            INBOX.c.source == bindparam("of_source"),
            INBOX.c.key.in_(bindparam("of_keys", expanding=True)),
        )
    )
    .values(state=DONE, payload=None)
)
_FINISH_ONE = (
    update(INBOX)
    .where(and_(INBOX.c.source == bindparam("of_source"), INBOX.c.key == bindparam("of_key")))
    .values(state=DONE, payload=None)
)
_INSERT = insert(T)


class SqlOutboxQueue:
    """Queues an outcome's items inside the unit of work that produced them."""

    def __init__(self, session: AsyncSession, now: datetime, lease: timedelta) -> None:
        self.session = session
        self.now = now
        self.lease = lease

    async def queue(self, outcome: Outcome, *, origin: str) -> Outcome:
        forms: list[OpenForm] = []
        for form in outcome.forms:
            forms.append(replace(form, outbox_id=uuid.uuid4().hex))
        messages: list[Outgoing] = []
        for outgoing in outcome.messages:
            row_id = uuid.uuid4().hex
            # The row id travels with the message (Slack message metadata), so a sender
            # re-sending after a crash can look for it first.
            message = outgoing.message
            messages.append(
                replace(
                    outgoing,
                    message=message if message.key else replace(message, key=row_id),
                    outbox_id=row_id,
                )
            )
        items: list[Item] = [*forms, *messages]
        rows = [self._pending(item, origin, position) for position, item in enumerate(items)]
        if not rows:  # a marker: the work of `origin` committed, with nothing to say
            rows.append(self._row(uuid.uuid4().hex, origin, 0, None))
        await self.session.execute(_INSERT, rows)
        return Outcome(tuple(messages), tuple(forms))

    async def holds(self, origin: str) -> bool:
        found = await self.session.execute(
            select(T.c.id).where(T.c.origin == origin[:320]).limit(1)
        )
        return found.first() is not None

    def _pending(self, item: Item, origin: str, position: int) -> dict[str, Any]:
        assert item.outbox_id is not None  # given in `queue`
        return self._row(item.outbox_id, origin, position, encode_item(item))

    def _row(self, row_id: str, origin: str, position: int, payload: str | None) -> dict[str, Any]:
        """A pending row for `payload`; with None, the marker of an origin with nothing to
        send (already sent)."""
        pending = payload is not None
        return {
            "id": row_id,
            "origin": origin[:320],
            "position": position,
            "created_at": self.now,
            "run_at": self.now + self.lease if pending else self.now,
            "state": (OutboxState.PENDING if pending else OutboxState.SENT).value,
            "attempts": 0,
            "payload": payload,
            "last_error": None,
            "sent_at": None if pending else self.now,
        }


@dataclass(frozen=True)
class Unsent:
    """A pending row a sender has taken (its lease renewed), with its decoded item."""

    id: str
    origin: str
    attempts: int
    """Failed sends so far."""
    item: Item


class OutboxStore:
    """What senders do outside the core's transactions: mark sent, take over, retry."""

    def __init__(self, engine: AsyncEngine, *, lease: timedelta = DEFAULT_LEASE) -> None:
        self.engine = engine
        self.lease = lease
        self._skip_locked = engine.dialect.name == "postgresql"

    async def mark_sent(self, ids: Sequence[str], now: datetime) -> None:
        if not ids:
            return
        async with writing(self.engine) as conn:
            await conn.execute(
                update(T)
                .where(T.c.id.in_(list(ids)))
                .values(state=OutboxState.SENT, payload=None, sent_at=now)
            )

    async def take(
        self, now: datetime, *, limit: int = 100, skip: Sequence[str] = ()
    ) -> list[Unsent]:
        """Take pending rows whose lease ran out (oldest first, in order within an
        origin), leasing them to the caller. Two senders never take the same row."""
        due = and_(T.c.state == OutboxState.PENDING, T.c.run_at <= now)
        async with writing(self.engine) as conn:
            query = (
                select(T.c.id)
                .where(due, T.c.id.not_in(list(skip)))
                .order_by(T.c.created_at, T.c.origin, T.c.position)
                .limit(limit)
            )
            if self._skip_locked:
                query = query.with_for_update(skip_locked=True)
            ids = [r.id for r in await conn.execute(query)]
            if not ids:
                return []
            # Guarded by `due`, so on SQLite (no row locks) a row another sender took
            # in between is not taken again.
            taken = await conn.execute(
                update(T)
                .where(due, T.c.id.in_(ids))
                .values(run_at=now + self.lease)
                .returning(
                    T.c.id, T.c.origin, T.c.attempts, T.c.payload, T.c.created_at, T.c.position
                )
            )
            rows = sorted(taken.all(), key=lambda r: (r.created_at, r.origin, r.position))
        return [Unsent(r.id, r.origin, r.attempts, decode_item(r.payload, r.id)) for r in rows]

    async def retry(self, row_id: str, at: datetime, error: str, *, counts: bool = True) -> None:
        """Try `row_id` again at `at`; after `MAX_ATTEMPTS` counted failures, park it."""
        async with writing(self.engine) as conn:
            row = (await conn.execute(select(T.c.attempts).where(T.c.id == row_id))).first()
            if row is None:
                return
            attempts = row.attempts + 1 if counts else row.attempts
            if attempts >= MAX_ATTEMPTS:
                values: dict[str, Any] = {"state": OutboxState.FAILED, "payload": None}
            else:
                values = {"run_at": at, "attempts": attempts}
            await conn.execute(
                update(T)
                .where(T.c.id == row_id, T.c.state == OutboxState.PENDING)
                .values(last_error=error[:64], **values)
            )

    async def counts(self) -> dict[str, int]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(T.c.state, func.count()).group_by(T.c.state))
            return {state: n for state, n in rows.all()}

    async def purge(self, before: datetime) -> int:
        """Forget sent and parked rows created before `before` (ids only by then)."""
        async with writing(self.engine) as conn:
            result = await conn.execute(
                delete(T).where(T.c.state != OutboxState.PENDING, T.c.created_at < before)
            )
            return result.rowcount

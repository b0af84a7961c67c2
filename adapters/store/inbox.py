"""The inbox: every inbound platform delivery, by its platform keys, before it is acknowledged.

A delivery carries one or more keys (Slack: the `event_id`; for a new message also
(team, channel, ts), which its `message` and `app_mention` events share; a slash
command's trigger id). The first writer of a key wins: a delivery whose every key
is new is handled; one that meets a key already written is a retry or a double and
is acknowledged without being handled again — unless that row was never finished
and its lease ran out (its first handler died before acknowledging), in which
case this delivery takes it over. Rows hold ids, times and a state.

A delivery that is acknowledged before it is handled also keeps its body
(`payload`, on its first key's row, written in the same insert as the claim), so
that if its handler dies after the acknowledgement — and the platform will not
retry an acknowledged delivery — `take_stuck` hands it to a replayer once the
lease runs out. The payload is content at rest only while the delivery is
unhandled: marking a row done clears it, and every row, finished or not, is
purged after a day. It is never logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Column, Text, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import Field, SQLModel

from adapters.store.engine import writing
from adapters.store.tables import utc_column

log = logging.getLogger(__name__)

RECEIVED, DONE = "received", "done"
DEFAULT_LEASE = timedelta(seconds=30)
FORGET_EVERY_SECONDS = 3600.0


class InboundEventRow(SQLModel, table=True):
    __tablename__ = "inbound_event"

    source: str = Field(primary_key=True, max_length=32)
    key: str = Field(primary_key=True, max_length=255)
    received_at: datetime = Field(sa_column=utc_column())
    state: str = Field(max_length=16)
    payload: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """The delivery's body while it is `received` (for a replay); None once done."""


TABLE = InboundEventRow.__table__  # type: ignore[attr-defined]

Delivery = tuple[Sequence[str], str | None]
"""One delivery's inbox keys, and the body kept for a replay (or None)."""
Earlier = tuple[datetime, str | None]
"""A taken-over row's earlier lease start and payload."""


class Inbox:
    def __init__(self, engine: AsyncEngine, *, lease: timedelta = DEFAULT_LEASE) -> None:
        self.engine = engine
        self.lease = lease
        dialect = engine.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    async def claim(
        self, source: str, keys: Sequence[str], now: datetime, payload: str | None = None
    ) -> bool:
        """True if this delivery is the one to handle (first writer, or a stale takeover).

        `payload` (the delivery's body, for a replay if its handler dies) is kept on
        the row of the first key until the delivery is finished.
        """
        (won,) = await self.settle(source, [(keys, payload)], [], now)
        return won

    async def finish(self, source: str, keys: Sequence[str]) -> None:
        if not keys:
            return
        async with writing(self.engine) as conn:
            await conn.execute(
                update(TABLE)
                .where(and_(TABLE.c.source == source, TABLE.c.key.in_(list(keys))))
                .values(state=DONE, payload=None)
            )

    async def renew(self, source: str, keys: Sequence[str], now: datetime) -> None:
        """Extend the lease of deliveries still being handled (their `received_at` moves
        to `now`), so another process does not take them over while they run."""
        if not keys:
            return
        async with writing(self.engine) as conn:
            await conn.execute(
                update(TABLE)
                .where(
                    and_(
                        TABLE.c.source == source,
                        TABLE.c.key.in_(list(keys)),
                        TABLE.c.state == RECEIVED,
                    )
                )
                .values(received_at=now)
            )

    async def purge(self, before: datetime) -> int:
        """Forget deliveries received before `before`, whatever their state.

        Retries come within minutes, so old rows recognise nothing; an old row still
        `received` belonged to a delivery no listener took or whose handler died.
        """
        async with writing(self.engine) as conn:
            result = await conn.execute(delete(TABLE).where(TABLE.c.received_at < before))
            return result.rowcount

    async def keep_forgetting(
        self,
        age: timedelta,
        now: Callable[[], datetime],
        *,
        every: float = FORGET_EVERY_SECONDS,
    ) -> None:
        """Purge deliveries older than `age` every `every` seconds, until cancelled.

        Start-up purges once; this keeps a long-running server's table bounded too.
        A failed purge (the database briefly away) is logged by type and tried again.
        """
        while True:
            await asyncio.sleep(every)
            try:
                await self.purge(now() - age)
            except Exception as exc:
                log.warning("inbox: forgetting old deliveries failed (%s)", type(exc).__name__)

    async def settle(
        self,
        source: str,
        claims: Sequence[Delivery],
        done: Sequence[str],
        now: datetime,
    ) -> list[bool]:
        """One transaction for many deliveries (a group commit).

        Marks the `done` keys finished, then claims each delivery of `claims` (its keys,
        and the payload kept on its first key's row) by the rule of `claim`, in order: a
        delivery that meets a key already written — by an earlier delivery in the same
        batch too — is a duplicate, and the rows it had written are put back as they were.
        Returns, for each delivery, whether it is the one to handle.
        """
        async with writing(self.engine) as conn:
            if done:
                await conn.execute(
                    update(TABLE)
                    .where(and_(TABLE.c.source == source, TABLE.c.key.in_(list(done))))
                    .values(state=DONE, payload=None)
                )
            inserted = await self._insert_new(conn, source, claims, now)
            return [
                await self._claim_delivery(conn, source, list(keys), now, payload, inserted)
                for keys, payload in claims
            ]

    async def _insert_new(
        self, conn: AsyncConnection, source: str, claims: Sequence[Delivery], now: datetime
    ) -> set[str]:
        """The common case in one statement: insert the row of every key that only one
        delivery of the batch carries, skipping keys already stored; the keys inserted.

        What is left (a key already stored, or carried by two deliveries of the batch)
        goes through `_claim_one`, key by key and in order, as before.
        """
        carriers: dict[str, int] = {}
        for keys, _ in claims:
            for key in dict.fromkeys(keys):
                carriers[key] = carriers.get(key, 0) + 1
        rows = [
            {
                "source": source,
                "key": key,
                "received_at": now,
                "state": RECEIVED,
                "payload": payload if index == 0 else None,
            }
            for keys, payload in claims
            for index, key in enumerate(dict.fromkeys(keys))
            if carriers[key] == 1
        ]
        if not rows:
            return set()
        statement = (
            self._insert(TABLE)
            .on_conflict_do_nothing(index_elements=["source", "key"])
            .returning(TABLE.c.key)
        )
        # Many parameter sets with RETURNING: SQLAlchemy's "insertmanyvalues" sends them as
        # multi-row INSERTs of one cached shape, whatever the batch's size.
        return set((await conn.execute(statement, rows)).scalars())

    async def _claim_delivery(
        self,
        conn: AsyncConnection,
        source: str,
        keys: list[str],
        now: datetime,
        payload: str | None,
        inserted: Collection[str] = (),
    ) -> bool:
        written: list[tuple[str, Earlier | None]] = []
        for index, key in enumerate(dict.fromkeys(keys)):
            if key in inserted:
                written.append((key, None))
                continue
            earlier = await self._claim_one(conn, source, key, now, payload if index == 0 else None)
            if earlier is False:
                await self._put_back(conn, source, written)
                return False
            written.append((key, earlier))
        return True

    async def _put_back(
        self, conn: AsyncConnection, source: str, written: list[tuple[str, Earlier | None]]
    ) -> None:
        """Undo a duplicate delivery's claims of its other keys: rows it inserted go, rows
        it took over get their lease and payload back."""
        for key, earlier in written:
            row = and_(TABLE.c.source == source, TABLE.c.key == key)
            if earlier is None:
                await conn.execute(delete(TABLE).where(row))
            else:
                await conn.execute(
                    update(TABLE).where(row).values(received_at=earlier[0], payload=earlier[1])
                )

    async def take_stuck(
        self,
        source: str,
        now: datetime,
        *,
        skip: Collection[str] = (),
        limit: int = 20,
    ) -> list[tuple[str, str]]:
        """Take over unfinished deliveries whose lease ran out; (key, payload) of each.

        Only rows that kept a payload can be replayed; `skip` names keys this process
        is still handling. Each row is taken by the lease rule of a stale claim (its
        `received_at` moves to `now`), so two replayers never take the same row.
        """
        stale = and_(
            TABLE.c.source == source,
            TABLE.c.state == RECEIVED,
            TABLE.c.payload.is_not(None),
            TABLE.c.received_at < now - self.lease,
        )
        async with writing(self.engine) as conn:
            found = await conn.execute(
                select(TABLE.c.key, TABLE.c.payload)
                .where(stale, TABLE.c.key.not_in(list(skip)))
                .order_by(TABLE.c.received_at, TABLE.c.key)
                .limit(limit)
            )
            taken: list[tuple[str, str]] = []
            for key, payload in found.all():
                moved = await conn.execute(
                    update(TABLE).where(stale, TABLE.c.key == key).values(received_at=now)
                )
                if moved.rowcount:
                    taken.append((key, payload))
            return taken

    async def _claim_one(
        self,
        conn: AsyncConnection,
        source: str,
        key: str,
        now: datetime,
        payload: str | None = None,
    ) -> Earlier | Literal[False] | None:
        """Claim one key: None if the row is new, the row's earlier (received_at, payload)
        if a stale claim was taken over, False if the key is someone else's."""
        statement = (
            self._insert(TABLE)
            .values(source=source, key=key, received_at=now, state=RECEIVED, payload=payload)
            .on_conflict_do_nothing(index_elements=["source", "key"])
        )
        if (await conn.execute(statement)).rowcount:
            return None
        stale = and_(
            TABLE.c.source == source,
            TABLE.c.key == key,
            TABLE.c.state == RECEIVED,
            TABLE.c.received_at < now - self.lease,
        )
        found = (
            await conn.execute(select(TABLE.c.received_at, TABLE.c.payload).where(stale))
        ).first()
        if found is None:
            return False
        taken = await conn.execute(
            update(TABLE).where(stale).values(received_at=now, payload=payload)
        )
        return (found[0], found[1]) if taken.rowcount else False

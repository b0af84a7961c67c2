"""The SQL unit of work: one session, one transaction, the core's repositories."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from types import TracebackType

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.store.actions import SqlActionRepository
from adapters.store.duework import SqlDueWorkQueue
from adapters.store.engine import WriterTurns, writer_turns
from adapters.store.fishbowl import SqlFishbowlNoteRepository
from adapters.store.learning_log import SqlLearningLogRepository
from adapters.store.meetings import SqlBidRepository, SqlGuestRepository, SqlMeetingRepository
from adapters.store.message_refs import SqlMessageRefs
from adapters.store.nudges import SqlNudgeRepository
from adapters.store.outbox import DEFAULT_LEASE as OUTBOX_LEASE
from adapters.store.outbox import SqlInboxReceipts, SqlOutboxQueue
from adapters.store.personal_data import SqlPersonalData
from adapters.store.preferences import SqlPersonSettingsRepository, SqlSetOptionsRepository
from adapters.store.report_backs import SqlReportBackRepository
from adapters.store.repositories import (
    SqlContributionRepository,
    SqlMembershipRepository,
    SqlPersonRepository,
    SqlSetRepository,
    SqlSponsorRepository,
)
from adapters.store.retention import SqlRetention
from adapters.store.rounds import (
    SqlHeldMeetingRepository,
    SqlRoundMessageRepository,
    SqlRoundRepository,
)
from adapters.store.statements import SqlStatementRepository
from bot.clock import SystemClock
from bot.duework import DueWork
from bot.errors import Conflict
from bot.ports import Clock

log = logging.getLogger(__name__)

ScheduledListener = Callable[[DueWork], None]

CLASH_MESSAGE = (
    "Someone else changed this at the same moment, so nothing was saved. Please try again."
)


def is_unique_violation(exc: IntegrityError) -> bool:
    """A unique key clash (a concurrent writer got there first), not a programming error."""
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(orig)


def clash_from(exc: IntegrityError) -> Conflict:
    # str(exc) carries the statement's parameters (set content): log the type only.
    log.info("store: a concurrent change clashed on a unique key; the transaction rolled back")
    return Conflict(CLASH_MESSAGE)


class SqlUnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock | None = None,
        listeners: list[ScheduledListener] | None = None,
        outbox_lease: timedelta = OUTBOX_LEASE,
        turns: WriterTurns | None = None,
    ) -> None:
        self._turns = turns
        self._sessions = sessions
        self._outbox_lease = outbox_lease
        self._session: AsyncSession | None = None
        self._clock = clock or SystemClock()
        self._listeners = listeners if listeners is not None else []

    @property
    def session(self) -> AsyncSession:
        """The open session, for adapter-owned repositories sharing this transaction."""
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._turns is not None:
            await self._turns.acquire()
        self._session = self._sessions()
        self.sets = SqlSetRepository(self._session)
        self.people = SqlPersonRepository(self._session)
        self.memberships = SqlMembershipRepository(self._session)
        self.contributions = SqlContributionRepository(self._session)
        self.statements = SqlStatementRepository(self._session)
        self.meetings = SqlMeetingRepository(self._session)
        self.guests = SqlGuestRepository(self._session)
        self.sponsors = SqlSponsorRepository(self._session)
        self.bids = SqlBidRepository(self._session)
        self.person_settings = SqlPersonSettingsRepository(self._session)
        self.set_options = SqlSetOptionsRepository(self._session)
        self.held_meetings = SqlHeldMeetingRepository(self._session)
        self.rounds = SqlRoundRepository(self._session)
        self.round_messages = SqlRoundMessageRepository(self._session)
        self.fishbowl_notes = SqlFishbowlNoteRepository(self._session)
        self.due_work = SqlDueWorkQueue(self._session, self._clock.now)
        self.message_refs = SqlMessageRefs(self._session)
        self.actions = SqlActionRepository(self._session)
        self.learning_log = SqlLearningLogRepository(self._session)
        self.nudges = SqlNudgeRepository(self._session)
        self.report_backs = SqlReportBackRepository(self._session)
        self.personal_data = SqlPersonalData(self._session)
        self.retention = SqlRetention(self._session)
        self.inbox = SqlInboxReceipts(self._session)
        self.outbox = SqlOutboxQueue(self._session, self._clock.now(), self._outbox_lease)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            await session.rollback()  # a no-op after commit()
        finally:
            await session.close()
            self._session = None
            if self._turns is not None:
                self._turns.release()
        if isinstance(exc, IntegrityError) and is_unique_violation(exc):
            raise clash_from(exc) from exc

    async def commit(self) -> None:
        try:
            await self.session.commit()
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise
            raise clash_from(exc) from exc
        scheduled, self.due_work.scheduled = self.due_work.scheduled, []
        for item in scheduled:
            for listener in self._listeners:
                listener(item)

    async def rollback(self) -> None:
        await self.session.rollback()


class SqlUnitOfWorkFactory:
    """Callable that makes a fresh unit of work per use; holds the session factory."""

    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock | None = None,
        *,
        outbox_lease: timedelta = OUTBOX_LEASE,
    ) -> None:
        self.engine = engine
        self.outbox_lease = outbox_lease
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.clock = clock or SystemClock()
        self.scheduled_listeners: list[ScheduledListener] = []
        """Called after each commit with the due work it newly queued (e.g. precise timers)."""

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self.sessions,
            self.clock,
            self.scheduled_listeners,
            self.outbox_lease,
            writer_turns(self.engine),
        )

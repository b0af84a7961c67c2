"""The SQL unit of work: one session, one transaction, the core's repositories."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.store.repositories import (
    SqlContributionRepository,
    SqlMembershipRepository,
    SqlPersonRepository,
    SqlSetRepository,
)
from adapters.store.setlife_repositories import (
    SqlBidRepository,
    SqlGuestRepository,
    SqlMeetingRepository,
    SqlPersonSettingsRepository,
    SqlSetOptionsRepository,
    SqlSponsorRepository,
    SqlStatementRepository,
)


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        """The open session, for adapter-owned repositories sharing this transaction."""
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    async def __aenter__(self) -> SqlUnitOfWork:
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

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class SqlUnitOfWorkFactory:
    """Callable that makes a fresh unit of work per use; holds the session factory."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)

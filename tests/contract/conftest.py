"""The repository contract: the same tests against every store the core is given.

`uow_factory` here is a unit-of-work factory for one of three stores: the in-memory
fake the unit tests use (`tests.fakes.MemoryStore`), and the SQL store
(`adapters.store.uow.SqlUnitOfWorkFactory`) on SQLite and on PostgreSQL. A test in
this package uses only the port (`bot.ports.UnitOfWork`), so a behaviour the fake
gets wrong fails here for "fake" only. `queued` reads what due work is waiting, which
the port cannot say.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import text

from adapters.store.engine import make_engine
from adapters.store.uow import SqlUnitOfWorkFactory
from bot.ports import UnitOfWorkFactory
from tests.fakes import MemoryStore

PENDING = text("SELECT key, user_id FROM due_work WHERE state = 'pending'")

Queued = Callable[[], Awaitable[dict[str, str | None]]]
"""Due work waiting to be done: user id (or None) by key."""


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str | None:
    """The database under contract, or None for the fake (set up outside the test's loop)."""
    if request.param == "fake":
        return None
    url: str = request.getfixturevalue(f"{request.param}_db_url")
    return url


@pytest.fixture
async def uow_factory(store_url: str | None) -> AsyncIterator[UnitOfWorkFactory]:
    if store_url is None:
        yield MemoryStore()
        return
    engine = make_engine(store_url)
    try:
        yield SqlUnitOfWorkFactory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def queued(uow_factory: UnitOfWorkFactory) -> Queued:
    async def read() -> dict[str, str | None]:
        if isinstance(uow_factory, MemoryStore):
            return {k: w.user_id for k, w in uow_factory.committed.due_work.items()}
        assert isinstance(uow_factory, SqlUnitOfWorkFactory)
        async with uow_factory.engine.connect() as conn:
            rows = await conn.execute(PENDING)
            return {key: user_id for key, user_id in rows}

    return read

"""Fixtures shared by every tier.

- `no_planted_text_in_logs` (autouse): every log record of every test is captured
  at DEBUG and checked for the planted marker, so confidentiality is tested everywhere.
- `db_url`: a fresh, migrated database, once on SQLite and once on PostgreSQL
  (PostgreSQL from REVANS_TEST_POSTGRES_URL; skipped without it unless
  REVANS_REQUIRE_POSTGRES=1, which CI sets so a missing server fails loudly);
  `sqlite_db_url` and `postgres_db_url` give one of them, for suites that choose.
- `uow_factory`: the SQL unit of work over `db_url`, built inside the test's loop.
- `fake`: the fake Bot Connector, running for one test (the Teams tests of both the
  integration and end-to-end tiers; a Slack test module names its own `fake`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from adapters.logs import quiet_third_parties
from adapters.store.engine import make_engine
from adapters.store.migrate import upgrade
from adapters.store.uow import SqlUnitOfWorkFactory
from tests.confidential import PLANTED
from tests.fakes.bot_connector import FakeConnector

POSTGRES_URL = os.environ.get("REVANS_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("REVANS_REQUIRE_POSTGRES") == "1"


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture(autouse=True)
def no_planted_text_in_logs() -> Iterator[_Capture]:
    root = logging.getLogger()
    capture = _Capture()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    quiet_third_parties()
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
    leaked = [line for line in capture.lines if PLANTED in line]
    assert not leaked, f"planted set content reached the logs: {leaked[:3]}"


# --- databases -------------------------------------------------------------------------


def _run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    u = make_url(url)
    conn = await asyncpg.connect(
        host=u.host,
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        database=u.database,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _pg_url(database: str) -> str:
    assert POSTGRES_URL
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("REVANS_REQUIRE_POSTGRES=1 but REVANS_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set REVANS_TEST_POSTGRES_URL)")
    name = f"revans_tmpl_{os.getpid()}"
    _run(_admin(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}"'))
    _run(_admin(POSTGRES_URL, f'CREATE DATABASE "{name}"'))
    upgrade(_pg_url(name))
    yield name
    _run(_admin(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_db_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated SQLite database (a copy of the session's template)."""
    path = tmp_path / "revans.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def postgres_db_url(postgres_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (created from the session's template)."""
    assert POSTGRES_URL
    name = f"revans_t_{uuid.uuid4().hex[:12]}"
    _run(_admin(POSTGRES_URL, f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    yield _pg_url(name)
    _run(_admin(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database with every migration applied, once per database."""
    url: str = request.getfixturevalue(f"{request.param}_db_url")
    return url


@pytest.fixture
async def uow_factory(db_url: str) -> AsyncIterator[SqlUnitOfWorkFactory]:
    engine = make_engine(db_url)
    try:
        yield SqlUnitOfWorkFactory(engine)
    finally:
        await engine.dispose()


# --- fake servers ------------------------------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeConnector]:
    connector = FakeConnector()
    await connector.start()
    try:
        yield connector
    finally:
        await connector.stop()
    assert connector.card_errors == [], "cards that are not Adaptive Cards 1.5 were sent"

"""Reading the database of a `revans serve` process under test, through a short-lived engine."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from adapters.store.engine import make_engine
from tests.polling import TIMEOUT, eventually


async def rows(db_url: str, sql: str, **params: Any) -> list[Any]:
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(text(sql), params)).all())
    finally:
        await engine.dispose()


async def wait_rows(db_url: str, sql: str, count: int, timeout: float = TIMEOUT) -> list[Any]:
    """The rows of `sql` once there are at least `count` of them."""
    return await eventually(
        lambda: rows(db_url, sql),
        lambda found: len(found) >= count,
        timeout=timeout,
        what=f"{count} rows of {sql!r}",
    )

"""The console session: an unexpected failure is an apology, not the end of the session."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.console.session import ConsoleSession
from bot.dispatch import Core
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore, MemoryUnitOfWork


class BrokenOnce(MemoryStore):
    """A store whose next unit of work fails as a lost database connection would."""

    def __init__(self) -> None:
        super().__init__()
        self.broken = False

    def __call__(self) -> MemoryUnitOfWork:
        if self.broken:
            self.broken = False
            raise ConnectionError(f"server closed the connection while sending {PLANTED}")
        return super().__call__()


async def test_an_unexpected_error_is_answered_and_the_session_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store, out = BrokenOnce(), io.StringIO()
    session = ConsoleSession(Core(uow=store, clock=FakeClock()), out)
    await session.handle_line(f"create Ward {PLANTED}")
    store.broken = True
    with caplog.at_level(logging.ERROR):
        await session.handle_line(f"challenge {PLANTED}")
    assert "Sorry, something went wrong" in out.getvalue()
    assert any("ConnectionError" in r.getMessage() for r in caplog.records)
    await session.handle_line("members")
    assert out.getvalue().count("— 09:00 (UTC)") == 1  # the members list after the failure

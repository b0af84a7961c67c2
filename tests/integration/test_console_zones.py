"""The console shows every moment in its reader's zone, as Slack and Teams do: a room post in
the zone of whoever is at the terminal, a private answer in its recipient's."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from adapters.console.session import ConsoleSession
from bot.dispatch import Core
from tests.fakes import FakeClock, MemoryStore

SUMMER = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # London on BST (UTC+1)


async def play(session: ConsoleSession, out: io.StringIO, line: str) -> str:
    start = len(out.getvalue())
    await session.handle_line(line)
    return out.getvalue()[start:]


async def test_room_posts_and_private_answers_are_in_the_readers_zone() -> None:
    out = io.StringIO()
    session = ConsoleSession(Core(uow=MemoryStore(), clock=FakeClock(SUMMER)), out)
    await play(session, out, "as farah Europe/London")
    await play(session, out, "create Ward leaders")
    shown = await play(session, out, "schedule every 2 weeks on Tuesday at 14:00 for 2 meetings")
    assert "[#room m2] Revans: @farah planned 2 meetings" in shown
    assert "Tue 02 Jun 2026 14:00 BST" in shown and "13:00 UTC" not in shown
    await play(session, out, "as chen Asia/Singapore")
    await play(session, out, "join")
    await play(session, out, "agree")
    listing = await play(session, out, "schedule")  # private, in Chen's zone
    assert "[only chen sees]" in listing and "Tue 02 Jun 2026 21:00 +08" in listing


async def test_own_setting_then_the_sets_zone() -> None:
    out = io.StringIO()
    session = ConsoleSession(Core(uow=MemoryStore(), clock=FakeClock(SUMMER)), out)
    await play(session, out, "as farah Europe/London")
    await play(session, out, "create Ward leaders")
    await play(session, out, "schedule every 2 weeks on Tuesday at 14:00 for 2 meetings")
    await play(session, out, "settings tz America/New_York")  # her own setting wins
    shown = await play(session, out, "schedule cancel 1")
    assert "The meeting on Tue 02 Jun 2026 09:00 EDT is cancelled." in shown
    await play(session, out, "as bo")  # no zone of his own: the set's (London)
    await play(session, out, "join")
    await play(session, out, "agree")
    listing = await play(session, out, "schedule")
    assert "Tue 16 Jun 2026 14:00 BST" in listing

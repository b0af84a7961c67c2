"""`revans demo`: a scripted set cycle through the same session as `revans console`.

The script grows as the product does; every line goes through the real parser
and use cases on the configured database.
"""

from __future__ import annotations

import uuid
from typing import TextIO

from adapters.console.session import ConsoleSession
from bot.dispatch import Core

SCRIPT = """
# A facilitator in London makes the channel a set and writes its agreement.
as farah Europe/London
create Ward leaders 2026
agreement What is said here stays here. Questions before advice. We come to every meeting we can.
# Five members in three time zones join; each reads the agreement and agrees.
as amara Africa/Lagos
join
agree
as ben Europe/London
join
agree
as chen Asia/Singapore
join
agree
as dana Europe/London
join
agree
as emil Asia/Singapore
join
agree
members
# Someone mistypes; the answer is private and changes nothing.
membres
# Emil leaves and the roster shrinks.
leave
as farah
members
# Each member brings a challenge and a development goal (kept privately, with revisions).
as amara
challenge Getting two wards to share one rota
goal Handle conflict without withdrawing
as ben
challenge Winning budget for a discharge coordinator
goal Ask before I advise
as chen
challenge Retaining newly qualified nurses
goal Say no without guilt
as dana
challenge Moving handovers off paper
goal Listen longer
# Amara's challenge evolves; the first version is kept. No text opens a form.
as amara
challenge Getting two wards, and their managers, to share one rota
goal
# A fortnightly schedule at 14:00 London time (it stays 14:00 there when the clocks change).
as farah
schedule every 2 weeks on Tuesday at 14:00 Europe/London for 6 meetings
schedule every fortnight on Tuesday
# Chen reads the schedule in Singapore time.
as chen
schedule
# Members bid for airtime at the next meeting.
as amara
bid 20m the rota stalemate
as dana
bid 15m
as ben
bid 10
bid 10m
as farah
schedule
# Rounds arrive in a later release; the words already parse.
round start @amara live 45m
"""


def demo_room() -> str:
    return f"demo-{uuid.uuid4().hex[:8]}"


async def run_demo(core: Core, out: TextIO, *, room: str | None = None) -> str:
    """Play the script; returns the room (place) it used so callers can inspect it."""
    room = room or demo_room()
    session = ConsoleSession(core, out, room=room)
    out.write(f"Revans demo in #{room} — every line below runs through the real core.\n\n")
    for line in SCRIPT.strip().splitlines():
        if line.startswith("#"):
            out.write(f"\n{line}\n")
            continue
        await session.handle_line(line, echo=True)
    return room

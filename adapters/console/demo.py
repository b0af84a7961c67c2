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
# A facilitator in London makes the channel a set.
as farah Europe/London
create Ward leaders 2026
# Five members in three time zones join.
as amara Africa/Lagos
join
as ben Europe/London
join
as chen Asia/Singapore
join
as dana Europe/London
join
as emil Asia/Singapore
join
members
# Someone mistypes; the answer is private and changes nothing.
membres
# Emil leaves and the roster shrinks.
leave
as farah
members
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

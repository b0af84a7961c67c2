"""What the core keeps of the speaker's platform profile (`dispatch.remember_actor`).

The profile comes from the platform (a Teams client's `localTimezone`, a display name):
the core must not trust it to be a usable time zone or a name that fits its column.
"""

from __future__ import annotations

import pytest

from bot.context import Context
from bot.dispatch import MAX_DISPLAY_NAME, Core, handle_command
from bot.model import Actor
from tests.fakes import MemoryStore
from tests.unit.talk import ROOM, is_error, private_to, say, uid


@pytest.mark.parametrize("zone", ["Not/AZone", "x" * 300, "../../etc/passwd", ""])
async def test_an_unusable_platform_time_zone_is_ignored(
    core: Core, store: MemoryStore, zone: str
) -> None:
    await say(core, "fay", "create Ward leaders", tz=zone)
    person = store.committed.people[uid("fay")]
    assert person.platform_tz is None
    (learning_set,) = store.committed.sets.values()
    assert learning_set.tz == "UTC"
    outcome = await say(core, "fay", "members", tz=zone)
    assert not is_error(outcome)
    assert "(UTC)" in private_to(outcome, "fay")[0]


async def test_an_unusable_zone_does_not_replace_a_good_one(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Asia/Tokyo")
    await say(core, "fay", "members", tz="Not/AZone")
    assert store.committed.people[uid("fay")].platform_tz == "Asia/Tokyo"


async def test_a_very_long_display_name_is_shortened_to_fit(core: Core, store: MemoryStore) -> None:
    ctx = Context(ROOM, Actor(uid("fay"), "x" * 500), command_prefix="/set ")
    await handle_command(core, ctx, "help")
    assert len(store.committed.people[uid("fay")].display_name) == MAX_DISPLAY_NAME

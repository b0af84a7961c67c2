"""One console conversation: who is speaking, where, and the lines they type.

Lines are commands in the same grammar as `/set …` in Slack. `as NAME [Area/City]`
switches the speaker (optionally with their profile time zone); `@name` is a mention.
"""

from __future__ import annotations

import logging
import re
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.console.gateway import PREFIX, ConsoleGateway, user_id_for
from bot.context import Context
from bot.delivery import deliver
from bot.dispatch import Core, handle_command
from bot.messages import mention_token
from bot.model import DEFAULT_TZ, Actor, Place, PlaceKind

log = logging.getLogger(__name__)

MENTION = re.compile(r"(?<![\w<])@([A-Za-z][\w.-]*)")


def neutralise_mentions(text: str) -> str:
    return MENTION.sub(lambda m: mention_token(user_id_for(m.group(1))), text)


class ConsoleSession:
    def __init__(self, core: Core, out: TextIO, *, room: str = "room") -> None:
        self.core = core
        self.out = out
        self.place = Place(f"{PREFIX}{room}", PlaceKind.CHANNEL, "console")
        self.speaker = "you"
        self.zones: dict[str, str] = {}
        self.gateway = ConsoleGateway(out, self.zone_of, lambda: user_id_for(self.speaker))

    async def zone_of(self, user_id: str) -> str:
        """As the core reads it (DESIGN.md §3): own `settings tz`, the profile zone given with
        `as NAME Area/City`, then the room's set's zone."""
        async with self.core.uow() as uow:
            person = await uow.people.get(user_id)
            learning_set = await uow.sets.get_by_place(self.place.id)
        own = person.tz if person else None
        profile = self.zones.get(user_id) or (person.platform_tz if person else None)
        return own or profile or (learning_set.tz if learning_set else DEFAULT_TZ)

    @property
    def prompt(self) -> str:
        return f"{self.speaker}> "

    async def handle_line(self, line: str, *, echo: bool = False) -> None:
        line = line.strip()
        if not line or line.startswith("#"):
            return
        if echo:
            self.out.write(f"{self.prompt}{line}\n")
        if line.split()[0].lower() == "as":
            self.switch_speaker(line.split()[1:])
            return
        actor = Actor(
            user_id_for(self.speaker), self.speaker, self.zones.get(user_id_for(self.speaker))
        )
        ctx = Context(self.place, actor)
        try:
            outcome = await handle_command(self.core, ctx, neutralise_mentions(line))
            await deliver(self.gateway, outcome)
        except Exception as exc:  # logged by type only: the message may hold set content
            log.error("console: command failed (%s)", type(exc).__name__)
            self.out.write("  Sorry, something went wrong (details are in the log).\n")

    def switch_speaker(self, words: list[str]) -> None:
        if not words or not re.fullmatch(r"[A-Za-z][\w.-]*", words[0]):
            self.out.write("  (usage: as NAME [Area/City], e.g. `as amara Africa/Lagos`)\n")
            return
        self.speaker = words[0].lower()
        if len(words) > 1:
            try:
                ZoneInfo(words[1])
            except (ZoneInfoNotFoundError, ValueError):
                self.out.write(f"  (unknown time zone {words[1]!r}; e.g. Europe/London)\n")
                return
            self.zones[user_id_for(self.speaker)] = words[1]

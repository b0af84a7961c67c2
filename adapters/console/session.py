"""One console conversation: who is speaking, where, and the lines they type.

Lines are commands in the same grammar as `/set …` in Slack. Besides commands:

- `as NAME [Area/City]` switches the speaker (optionally with their profile time zone);
- `reply TEXT` writes TEXT in the thread of the latest round (a question, an answer);
- `wait N(m|h|d)` or `wait for the next meeting` lets simulated time pass, delivering
  what comes due meanwhile (phase ends, warnings, invitations, reminders).
- `press LABEL [#N]` presses a button (the Nth with that label) on the latest direct
  message the speaker got, as a button press in Slack or Teams would;
- `fill ANSWER | ANSWER …` submits the form last opened for the speaker, one answer per
  field in order (`-` leaves one empty).

`@name` is a mention.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.console.gateway import PREFIX, ConsoleGateway, user_id_for
from adapters.console.time import ConsoleTime
from bot.context import Context
from bot.delivery import StoredRefs, deliver
from bot.dispatch import Core, handle_command, handle_event, handle_form, handle_press
from bot.errors import GrammarError
from bot.events import MessagePosted
from bot.messages import mention_token
from bot.model import DEFAULT_TZ, Actor, Place, PlaceKind
from bot.parsing.words import duration
from bot.plain import format_moment
from bot.presses import Press

log = logging.getLogger(__name__)

MENTION = re.compile(r"(?<![\w<])@([A-Za-z][\w.-]*)")
ROUND = "round:"


def neutralise_mentions(text: str) -> str:
    return MENTION.sub(lambda m: mention_token(user_id_for(m.group(1))), text)


class ThreadRefs(StoredRefs):
    """Refs kept in the store; the console also remembers the latest round's thread."""

    latest_round: str | None = None

    async def remember(self, key: str, place_id: str, ref: str) -> None:
        await super().remember(key, place_id, ref)
        if key.startswith(ROUND):
            self.latest_round = ref


class ConsoleSession:
    def __init__(
        self, core: Core, out: TextIO, *, room: str = "room", time: ConsoleTime | None = None
    ) -> None:
        self.core = core
        self.out = out
        self.place = Place(f"{PREFIX}{room}", PlaceKind.CHANNEL, "console")
        self.speaker = "you"
        self.zones: dict[str, str] = {}
        self.gateway = ConsoleGateway(out, self.zone_of, lambda: user_id_for(self.speaker))
        self.refs = ThreadRefs(core.uow)
        self.time = time
        self._last_clock_line = ""
        if time is not None:
            time.announce = self._clock_line

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
        word, _, rest = line.partition(" ")
        try:
            if word.lower() == "as":
                self.switch_speaker(rest.split())
            elif word.lower() == "reply":
                await self.reply(rest.strip())
            elif word.lower() == "wait" and self.time is not None:
                await self.wait(rest.strip())
            elif word.lower() == "press":
                await self.press(rest.strip())
            elif word.lower() == "fill":
                await self.fill(rest.strip())
            else:
                ctx = Context(self.place, self.actor)
                outcome = await handle_command(self.core, ctx, neutralise_mentions(line))
                await deliver(self.gateway, outcome, self.refs)
        except Exception as exc:  # logged by type only: the message may hold set content
            log.error("console: command failed (%s)", type(exc).__name__)
            self.out.write("  Sorry, something went wrong (details are in the log).\n")

    @property
    def actor(self) -> Actor:
        user_id = user_id_for(self.speaker)
        return Actor(user_id, self.speaker, self.zones.get(user_id))

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

    async def reply(self, text: str) -> None:
        """A message in the latest round's thread, as a platform would deliver it."""
        if not text or self.refs.latest_round is None:
            self.out.write("  (usage: reply TEXT, once a round has started)\n")
            return
        event = MessagePosted(
            self.place,
            self.actor,
            f"c-{uuid.uuid4().hex[:12]}",
            neutralise_mentions(text),
            self.refs.latest_round,
        )
        await deliver(self.gateway, await handle_event(self.core, event), self.refs)

    @property
    def direct_chat(self) -> Context:
        """The speaker in their direct chat with Revans, where their buttons and forms are."""
        user_id = user_id_for(self.speaker)
        return Context(Place(user_id, PlaceKind.PERSONAL, "console"), self.actor, trigger="t")

    async def press(self, words: str) -> None:
        label, _, nth = words.partition(" #")
        user_id = user_id_for(self.speaker)
        found = [
            b for b in self.gateway.buttons.get(user_id, []) if b.label.lower() == label.lower()
        ]
        index = int(nth) - 1 if nth.isdecimal() else 0
        if not 0 <= index < len(found):
            self.out.write("  (usage: press LABEL [#N], on a direct message with buttons)\n")
            return
        pressed = Press(found[index].action, found[index].value)
        outcome = await handle_press(self.core, self.direct_chat, pressed)
        await deliver(self.gateway, outcome, self.refs)

    async def fill(self, words: str) -> None:
        form = self.gateway.forms.pop(user_id_for(self.speaker), None)
        if form is None:
            self.out.write("  (usage: fill ANSWER | ANSWER, once a form is open)\n")
            return
        answers = [a.strip() for a in words.split("|")]
        values = {
            f.name: ("" if answer == "-" else answer)
            for f, answer in zip(form.fields, answers, strict=False)
        }
        outcome = await handle_form(self.core, self.direct_chat, form.action, values)
        await deliver(self.gateway, outcome, self.refs)

    async def wait(self, words: str) -> None:
        assert self.time is not None
        until = await self._until(words)
        if until is None:
            self.out.write("  (usage: wait 10m | wait 2d | wait for the next meeting)\n")
            return
        await self.time.run_until(until, self.gateway, self.refs)
        self._clock_line(self.time.clock.now())

    async def _until(self, words: str) -> datetime | None:
        assert self.time is not None
        now = self.time.clock.now()
        if words.lower() == "for the next meeting":
            async with self.core.uow() as uow:
                learning_set = await uow.sets.get_by_place(self.place.id)
                meetings = await uow.meetings.upcoming(learning_set.id, now) if learning_set else []
            return meetings[0].starts_at if meetings else None
        try:
            return now + duration(words, example=None)
        except GrammarError:
            return None

    def _clock_line(self, at: datetime) -> None:
        """The simulated time, in UTC like the channel's posts (private ones are local)."""
        line = f"  ({format_moment(at, 'datetime', 'UTC')})\n"
        if line != self._last_clock_line:
            self.out.write(line)
        self._last_clock_line = line

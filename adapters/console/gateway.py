"""A chat gateway that prints to a text stream, marking who sees each message.

Every moment is shown in its reader's zone, as Slack and Teams show it: a private
message in its recipient's, a post to the room in the zone of whoever is at the
terminal (the current speaker), since that is the one person reading it there.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.messages import Form, Message
from bot.plain import render_message

PREFIX = "console:"


def user_id_for(name: str) -> str:
    return f"{PREFIX}{name.lower()}"


def name_of(user_id: str) -> str:
    return user_id.removeprefix(PREFIX)


ZoneOf = Callable[[str], Awaitable[str]]
"""The zone a user id reads times in."""


class ConsoleGateway:
    """Every message it shows gets a ref (`m1`, `m2`, …); a public post shows its ref, so
    a reader can follow an update of it (`m3, updated`) or a reply in its thread
    (`in thread m3`). Each moment is shown in its reader's zone: a private message in
    its recipient's, a room post in that of whoever reads the room at the terminal."""

    def __init__(self, out: TextIO, zone_of: ZoneOf, reader: Callable[[], str]) -> None:
        self.out = out
        self.zone_of = zone_of
        self.reader = reader
        """The user id of whoever reads the room's posts at the terminal."""
        self._refs = itertools.count(1)

    def _show(self, where: str, message: Message, tz: str) -> str:
        self._show_as(where, message, tz)
        return f"m{next(self._refs)}"

    def _show_as(self, where: str, message: Message, tz: str) -> None:
        body = render_message(message, name_of=name_of, tz=tz)
        indented = body.replace("\n", "\n    ")
        self.out.write(f"  [{where}] Revans: {indented}\n")

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        ref = f"m{next(self._refs)}"
        where = f"#{name_of(place_id)} {ref}" + (f", in thread {thread_id}" if thread_id else "")
        self._show_as(where, message, await self.zone_of(self.reader()))
        return ref

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        self._show(f"only {name_of(user_id)} sees", message, await self.zone_of(user_id))

    async def direct(self, user_id: str, message: Message) -> str:
        return self._show(f"DM to {name_of(user_id)}", message, await self.zone_of(user_id))

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        where = f"#{name_of(place_id)} {message_ref}, updated"
        self._show_as(where, message, await self.zone_of(self.reader()))

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        labels = ", ".join(f.label for f in form.fields)
        self.out.write(f"  [form for {name_of(user_id)}] {form.title}: {labels}\n")

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self.out.write(f"  [file for {name_of(user_id)}] {filename} ({len(content)} bytes)\n")

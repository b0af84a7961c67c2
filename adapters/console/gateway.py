"""A chat gateway that prints to a text stream, marking who sees each message.

Every moment is shown in its reader's zone, as Slack and Teams show it: a private
message in its recipient's, a post to the room in the zone of whoever is at the
terminal (the current speaker), since that is the one person reading it there.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.messages import Button, Buttons, Form, Message
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
        self._direct_refs: dict[str, str] = {}
        """The ref of each direct message shown, to the user id it went to."""
        self.buttons: dict[str, list[Button]] = {}
        """The buttons of the latest direct message (or its update) each user id got."""
        self.forms: dict[str, Form] = {}
        """The latest form opened for each user id (`fill` answers it)."""

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
        ref = f"m{next(self._refs)}"
        self._show_as(f"DM to {name_of(user_id)} {ref}", message, await self.zone_of(user_id))
        self._direct_refs[ref] = user_id
        self._keep_buttons(user_id, message)
        return ref

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        reader = self._direct_refs.get(message_ref)
        if reader is not None:
            where = f"DM to {name_of(reader)} {message_ref}, updated"
            self._show_as(where, message, await self.zone_of(reader))
            self._keep_buttons(reader, message)
            return
        where = f"#{name_of(place_id)} {message_ref}, updated"
        self._show_as(where, message, await self.zone_of(self.reader()))

    def _keep_buttons(self, user_id: str, message: Message) -> None:
        shown = [b for block in message.blocks if isinstance(block, Buttons) for b in block.buttons]
        if shown:
            self.buttons[user_id] = shown

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        labels = " | ".join(f.label for f in form.fields)
        self.out.write(f"  [form for {name_of(user_id)}] {form.title}: {labels}\n")
        self.forms[user_id] = form

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self.out.write(f"  [file for {name_of(user_id)}] {filename} ({len(content)} bytes)\n")

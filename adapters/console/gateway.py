"""A chat gateway that prints to a text stream, marking who sees each message."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TextIO

from bot.messages import Form, Message
from bot.plain import render_message

PREFIX = "console:"


def user_id_for(name: str) -> str:
    return f"{PREFIX}{name.lower()}"


def name_of(user_id: str) -> str:
    return user_id.removeprefix(PREFIX)


class ConsoleGateway:
    """Every message it shows gets a ref (`m1`, `m2`, …); a public post shows its ref, so
    a reader can follow an update of it (`m3, updated`) or a reply in its thread
    (`in thread m3`)."""

    def __init__(self, out: TextIO, tz_of: Callable[[str], str]) -> None:
        self.out = out
        self.tz_of = tz_of
        self._refs = itertools.count(1)

    def _show(self, where: str, message: Message, tz: str) -> str:
        self._show_as(where, message, tz)
        return f"m{next(self._refs)}"

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        ref = f"m{next(self._refs)}"
        where = f"#{name_of(place_id)} {ref}" + (f", in thread {thread_id}" if thread_id else "")
        self._show_as(where, message, "UTC")
        return ref

    def _show_as(self, where: str, message: Message, tz: str) -> None:
        body = render_message(message, name_of=name_of, tz=tz)
        indented = body.replace("\n", "\n    ")
        self.out.write(f"  [{where}] Revans: {indented}\n")

    async def post_private(self, place_id: str | None, user_id: str, message: Message) -> None:
        self._show(f"only {name_of(user_id)} sees", message, self.tz_of(user_id))

    async def direct(self, user_id: str, message: Message) -> str:
        return self._show(f"DM to {name_of(user_id)}", message, self.tz_of(user_id))

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        self._show_as(f"#{name_of(place_id)} {message_ref}, updated", message, "UTC")

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        labels = ", ".join(f.label for f in form.fields)
        self.out.write(f"  [form for {name_of(user_id)}] {form.title}: {labels}\n")

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self.out.write(f"  [file for {name_of(user_id)}] {filename} ({len(content)} bytes)\n")

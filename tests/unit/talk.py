"""A tiny harness to speak to the core as a named person in a place."""

from __future__ import annotations

from bot.context import Context
from bot.dispatch import Core, handle_command
from bot.messages import Outcome, Private, Public
from bot.model import Actor, Place, PlaceKind
from bot.plain import render_message

ROOM = Place("test:room", PlaceKind.CHANNEL, "test")
OTHER_ROOM = Place("test:other", PlaceKind.CHANNEL, "test")
DM = Place("test:dm", PlaceKind.PERSONAL, "test")


def uid(name: str) -> str:
    return f"test:{name}"


def ctx_for(name: str, place: Place = ROOM, tz: str | None = None) -> Context:
    return Context(place, Actor(uid(name), name, tz), command_prefix="/set ")


async def say(
    core: Core, name: str, text: str, place: Place = ROOM, tz: str | None = None
) -> Outcome:
    return await handle_command(core, ctx_for(name, place, tz), text)


def texts(outcome: Outcome) -> list[str]:
    return [
        render_message(o.message, name_of=lambda u: u.removeprefix("test:"))
        for o in outcome.messages
    ]


def private_to(outcome: Outcome, name: str) -> list[str]:
    return [
        render_message(o.message, name_of=lambda u: u.removeprefix("test:"))
        for o in outcome.messages
        if isinstance(o.to, Private) and o.to.user_id == uid(name)
    ]


def public_in(outcome: Outcome, place: Place = ROOM) -> list[str]:
    return [
        render_message(o.message, name_of=lambda u: u.removeprefix("test:"))
        for o in outcome.messages
        if isinstance(o.to, Public) and o.to.place_id == place.id
    ]


def is_error(outcome: Outcome) -> bool:
    return any(o.message.kind == "error" for o in outcome.messages)

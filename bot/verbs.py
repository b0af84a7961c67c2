"""A verb is one record: its words and parser, its usage for `help`, and for each
command form it parses to, the permission rule and the handler.

Adding a verb means writing one `Verb` in the module of the feature it belongs to
(see docs/architecture.md); `bot.catalogue` lists the feature modules, and the
grammar, help, authorisation and dispatch all read the `Registry` built from them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.commands import Command
from bot.context import Context
from bot.messages import Outcome
from bot.permissions import Access, Rule
from bot.ports import UnitOfWork

Parser = Callable[[list[str]], Command]
"""Reads the words after the verb; raises `GrammarError` (its example defaults to the
verb's own)."""


@dataclass(frozen=True)
class Turn:
    """Everything a handler is given besides its command: who speaks where, when, what
    authorisation found, the open transaction, and the verbs (for `help`)."""

    ctx: Context
    uow: UnitOfWork
    now: datetime
    access: Access
    verbs: Registry


Handler = Callable[[Any, Turn], Awaitable[Outcome]]
"""`async def handler(command, turn) -> Outcome`, typed with its own command class."""


@dataclass(frozen=True)
class Usage:
    form: str
    summary: str
    example: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """One command form of a verb: who may run it and what runs it."""

    command: type[Command]
    rule: Rule
    handler: Handler


@dataclass(frozen=True)
class Verb:
    name: str
    parse: Parser
    usage: Usage
    routes: tuple[Route, ...]
    form: Callable[[str], Command] | None = None
    """If the verb opens a form: builds the command from the submitted text."""


class Registry:
    """The verbs the core understands, by name, and their routes, by command type.

    A command type routed by two verbs, or a verb named twice, is a programming
    error raised at construction, so a registry is consistent once built."""

    def __init__(self, verbs: Iterable[Verb]) -> None:
        self._verbs: dict[str, Verb] = {}
        self._routes: dict[type[Command], Route] = {}
        for verb in verbs:
            if verb.name in self._verbs:
                raise ValueError(f"verb {verb.name!r} is declared twice")
            self._verbs[verb.name] = verb
            for route in verb.routes:
                if route.command in self._routes:
                    raise ValueError(f"{route.command.__name__} is routed twice")
                self._routes[route.command] = route

    def __iter__(self) -> Iterator[Verb]:
        return iter(self._verbs.values())

    def __contains__(self, name: object) -> bool:
        return name in self._verbs

    @property
    def names(self) -> list[str]:
        return list(self._verbs)

    @property
    def routes(self) -> Mapping[type[Command], Route]:
        return self._routes

    def verb(self, name: str) -> Verb | None:
        return self._verbs.get(name)

    def route(self, command: Command) -> Route:
        """The route for `command`. A command no verb routes is a programming error that
        fails closed (`LookupError`: the adapter's apology), never one anyone may run."""
        route = self._routes.get(type(command))
        if route is None:
            raise LookupError(f"no verb routes {type(command).__name__}")
        return route

    def example_for(self, name: str, *, command_prefix: str = "") -> str:
        verb = self._verbs.get(name)
        return f"{command_prefix}{verb.usage.example}" if verb else f"{command_prefix}help"

    def extended(self, *verbs: Verb) -> Registry:
        """A registry with these verbs added (tests and plug-ins)."""
        return Registry((*self, *verbs))

"""Typed commands the grammar produces; one frozen dataclass per verb."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class CreateSet:
    name: str | None = None


@dataclass(frozen=True)
class JoinSet:
    pass


@dataclass(frozen=True)
class LeaveSet:
    pass


@dataclass(frozen=True)
class ListMembers:
    pass


Command = Help | CreateSet | JoinSet | LeaveSet | ListMembers

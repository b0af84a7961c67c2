"""Which chat gateway serves an id: by its platform prefix (`slack:`, `teams:`, …).

The composition root registers one gateway per platform it runs; due work for a
platform nobody serves fails clearly (`NoGateway`) and is parked, never lost.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import DeliveryError
from bot.messages import Audience, Direct, Private, Public
from bot.ports import ChatGateway

GatewayResolver = Callable[[str], ChatGateway | None]
"""Given a place or user id, the gateway that serves it, or None."""


class NoGateway(DeliveryError):
    """No gateway is registered for an id's platform."""

    def __init__(self, platform: str) -> None:
        super().__init__(f"no gateway serves platform {platform!r}")
        self.platform = platform


def platform_of(some_id: str) -> str:
    return some_id.split(":", 1)[0] if ":" in some_id else ""


def audience_id(to: Audience) -> str:
    """The id that decides the platform of a message's audience."""
    if isinstance(to, Public):
        return to.place_id
    if isinstance(to, Private):
        return to.place_id or to.user_id
    assert isinstance(to, Direct)
    return to.user_id


class GatewayRoutes:
    """A `GatewayResolver` over gateways registered by platform prefix."""

    def __init__(self) -> None:
        self._by_platform: dict[str, ChatGateway] = {}

    def register(self, platform: str, gateway: ChatGateway) -> None:
        self._by_platform[platform.removesuffix(":")] = gateway

    def __call__(self, some_id: str) -> ChatGateway | None:
        return self._by_platform.get(platform_of(some_id))

    @property
    def platforms(self) -> list[str]:
        return sorted(self._by_platform)

"""Which chat gateway serves an id: by its platform prefix (`slack:`, `teams:`, …).

The composition root registers one gateway per platform it runs and hands the
routes to the scheduler as its `bot.ports.GatewayResolver`; due work for a platform
nobody serves fails clearly (`NoGateway`) and is parked, never lost.
"""

from __future__ import annotations

from bot.ports import ChatGateway, NoGateway


def platform_of(some_id: str) -> str:
    """The platform prefix of a place or user id (`slack:T1:C1` → `slack`); "" if none."""
    return some_id.split(":", 1)[0] if ":" in some_id else ""


class GatewayRoutes:
    """A `GatewayResolver` over gateways registered by platform prefix."""

    def __init__(self) -> None:
        self._by_platform: dict[str, ChatGateway] = {}

    def register(self, platform: str, gateway: ChatGateway) -> None:
        self._by_platform[platform.removesuffix(":")] = gateway

    def __call__(self, some_id: str) -> ChatGateway:
        platform = platform_of(some_id)
        gateway = self._by_platform.get(platform)
        if gateway is None:
            raise NoGateway(platform)
        return gateway

    @property
    def platforms(self) -> list[str]:
        return sorted(self._by_platform)

"""Prometheus metrics, in a registry per server (nothing global, nothing at import).

Metrics carry counts and kinds only: never set content, names or ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "revans_http_requests",
            "HTTP requests by route and status",
            ["route", "status"],
            registry=self.registry,
        )

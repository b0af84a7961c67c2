"""Prometheus metrics, in a registry per server (nothing global, nothing at import).

Metrics carry counts and kinds only: never set content, names or ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge


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
        self.due_work = Gauge(
            "revans_due_work",
            "Due work rows by state (failed: parked for an operator, see `revans nudges failed`)",
            ["state"],
            registry=self.registry,
        )

    def show_due_work(self, counts: Mapping[str, int]) -> None:
        for state, count in counts.items():
            self.due_work.labels(state).set(count)

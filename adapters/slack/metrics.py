"""Slack counters on the server's registry: counts, kinds, methods and Slack error codes only."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class SlackMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.inbound = Counter(
            "revans_slack_inbound",
            "Slack deliveries past signature checks, by kind and inbox outcome"
            " (new/duplicate/replayed)",
            ["kind", "outcome"],
            registry=registry,
        )
        self.handled = Counter(
            "revans_slack_handled",
            "Slack deliveries handled after the acknowledgement, by kind and result",
            ["kind", "result"],
            registry=registry,
        )
        self.api_errors = Counter(
            "revans_slack_api_errors",
            "Slack Web API calls that failed, by method and Slack error code",
            ["method", "error"],
            registry=registry,
        )

    def api_error(self, method: str, error: str) -> None:
        self.api_errors.labels(method, error[:40]).inc()

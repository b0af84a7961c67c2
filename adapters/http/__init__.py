"""The HTTP server `revans serve` runs: platform endpoints, health and metrics."""

"""Sample records for the store's tests: a moment and a set, with overrides."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.model import LearningSet

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
"""The night the clocks go forward in London: a moment that catches zone mistakes."""


def a_set(**overrides: object) -> LearningSet:
    values: dict[str, object] = {
        "id": "s1",
        "place_id": "p1",
        "platform": "test",
        "name": "Ward leaders",
        "created_by": "u1",
        "created_at": T0,
        "tz": "Europe/London",
    }
    values.update(overrides)
    return LearningSet(**values)  # type: ignore[arg-type]

"""A marker planted in user content; no log line may ever contain it.

Tests put `PLANTED` into set names, challenges, messages and other content; the
autouse `no_planted_text_in_logs` fixture fails any test whose logs show it, and
`assert_not_leaked` does the same for a subprocess's output streams.
"""

from __future__ import annotations

PLANTED = "zq-planted-7c1f"


def assert_not_leaked(text: str, where: str = "output") -> None:
    assert PLANTED not in text, f"planted set content leaked into {where}"

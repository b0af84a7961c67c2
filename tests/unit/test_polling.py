"""The one "poll until a deadline" helper the tests wait with."""

from __future__ import annotations

import itertools

import pytest

from tests.polling import eventually, eventually_sync


async def test_returns_the_first_accepted_answer_of_a_plain_probe() -> None:
    counter = itertools.count()
    assert await eventually(lambda: next(counter), lambda n: n >= 3, timeout=5) == 3


async def test_awaits_a_coroutine_probe() -> None:
    answers = iter([[], [], ["row"]])

    async def read() -> list[str]:
        return next(answers)

    assert await eventually(read, timeout=5) == ["row"]


async def test_fails_at_the_deadline_with_what_it_waited_for_and_the_last_answer() -> None:
    with pytest.raises(AssertionError, match=r"waiting for the rows; last answer \[\]; seen: 7"):
        await eventually(list, timeout=0.05, what="the rows", explain=lambda: "seen: 7")


def test_the_sync_variant_polls_and_fails_the_same_way() -> None:
    counter = itertools.count()
    assert eventually_sync(lambda: next(counter), lambda n: n == 2, timeout=5) == 2
    with pytest.raises(AssertionError, match=r"timed out after 0\.05s waiting for a file"):
        eventually_sync(lambda: False, timeout=0.05, what="a file")

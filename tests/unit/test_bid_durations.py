"""`bid`: a first word meant as a duration is a good duration or a clear refusal, never a note
that silently replaces the member's real bid."""

from __future__ import annotations

import copy

import pytest

from bot import commands as c
from bot import grammar
from bot.catalogue import VERBS
from bot.dispatch import Core
from bot.errors import GrammarError
from tests.fakes import MemoryStore
from tests.unit.talk import is_error, private_to, say


def parse(text: str) -> object:
    return grammar.parse(VERBS, text)


@pytest.mark.parametrize(
    "text", ["bid -5m", "bid −5m", "bid +5m", "bid -5", "bid 1.5h", "bid 5min", "bid 5 m", "bid 0m"]
)
def test_a_negative_or_malformed_duration_is_refused(text: str) -> None:
    with pytest.raises(GrammarError) as info:
        parse(text)
    assert info.value.example == "bid 20m the rota stalemate"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("bid 2nd round of the rota", c.Bid(None, "2nd round of the rota")),
        ("bid - the rota", c.Bid(None, "- the rota")),
        ("bid 15m -5 on the budget", c.Bid(15, "-5 on the budget")),
    ],
)
def test_words_that_only_start_with_a_digit_or_a_dash_are_a_note(
    text: str, command: c.Command
) -> None:
    assert parse(text) == command


async def test_a_bad_duration_keeps_the_real_bid(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    await say(core, "ann", "join")
    await say(core, "ann", "agree")
    await say(core, "fay", "schedule every 2 weeks on Tuesday at 14:00 for 2 meetings")
    assert not is_error(await say(core, "ann", "bid 20m the rota"))
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "ann", "bid -5m")
    (answer,) = private_to(outcome, "ann")
    assert is_error(outcome) and "“-5m” is not a duration" in answer
    assert "Example: `/set bid 20m the rota stalemate`" in answer
    assert store.committed == before
    (bid,) = store.committed.bids.values()
    assert (bid.minutes, bid.note) == (20, "the rota")

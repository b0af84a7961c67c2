from __future__ import annotations

import pytest

from bot import grammar
from bot.catalogue import VERBS
from bot.commands import Command, CreateSet, Help, JoinSet, LeaveSet, ListMembers
from bot.errors import GrammarError


def parse(text: str) -> Command:
    return grammar.parse(VERBS, text)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("", Help()),
        ("help", Help()),
        ("HELP Schedule", Help("schedule")),
        ("create", CreateSet(None)),
        ("create   Ward   leaders", CreateSet("Ward leaders")),
        ('Create "Ward leaders 2026"', CreateSet("Ward leaders 2026")),
        ("join", JoinSet()),
        ("  Leave ", LeaveSet()),
        ("members", ListMembers()),
    ],
)
def test_valid_forms(text: str, command: object) -> None:
    assert parse(text) == command


def test_unknown_word_suggests_the_nearest_verb() -> None:
    with pytest.raises(GrammarError) as info:
        parse("membrs")
    assert "Did you mean `members`" in info.value.message
    assert info.value.example == "members"


def test_unbalanced_quote_is_a_grammar_error_with_an_example() -> None:
    with pytest.raises(GrammarError) as info:
        parse('create "Ward')
    assert info.value.example


def test_extra_words_are_refused() -> None:
    with pytest.raises(GrammarError) as info:
        parse("join now please")
    assert info.value.example == "join"

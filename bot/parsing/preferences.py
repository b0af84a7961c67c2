"""`settings` (a member's own preferences) and `options` (the set's, facilitator only).

Both read as keyword/value pairs in any order; no words at all asks to see them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, Literal, cast

from bot.commands import Command, Options, Settings, ShowOptions
from bot.errors import GrammarError
from bot.parsing.dates import check_date
from bot.parsing.words import (
    clock,
    language,
    require_mention,
    switch,
    weekday,
    weekday_range,
    whole_number,
    zone,
)

Reader = Callable[[list[str], str | None], Any]
"""Reads a keyword's value words (everything up to the next keyword) into a field value."""


def _one(words: list[str], keyword: str, example: str | None) -> str:
    if len(words) != 1:
        raise GrammarError(f"`{keyword}` takes one value.", example=example)
    return words[0]


def _hours(words: list[str], example: str | None) -> Any:
    start, sep, end = _one(words, "hours", example).partition("-")
    if not sep:
        raise GrammarError("Working hours read HH:MM-HH:MM.", example=example)
    first, last = clock(start, example=example), clock(end, example=example)
    if first == last:  # a shift that ends past midnight (22:00-06:00) is fine
        raise GrammarError(
            f"Working hours {first:%H:%M}-{last:%H:%M} start and end at the same time.",
            example=example,
        )
    return (first, last)


def _away(words: list[str], example: str | None) -> Any:
    if not words or words[0].lower() != "until":
        raise GrammarError("Say `away until DATE`.", example="settings away until 10 Dec")
    return check_date(words[1:], example="settings away until 10 Dec")


def _live(words: list[str], example: str | None) -> Any:
    parts = _one(words, "live", example).split("/")
    if len(parts) != 5:
        raise GrammarError(
            "`live` takes five minute counts: present/questions/reflect/commit/resonance.",
            example=example,
        )
    return tuple(whole_number(p, "Each phase", low=1, high=240, example=example) for p in parts)


def _format(words: list[str], example: str | None) -> Any:
    value = _one(words, "format", example).lower()
    if value not in ("own", "shared"):
        raise GrammarError("`format` is `own` or `shared`.", example=example)
    return cast(Literal["own", "shared"], value)


def _checkin(words: list[str], example: str | None) -> Any:
    value = _one(words, "checkin", example)
    return "off" if value.lower() == "off" else weekday(value, example=example)


def _fishbowl(words: list[str], example: str | None) -> Any:
    if not words:
        raise GrammarError("Mention the inner set after `fishbowl`.", example=example)
    if [w.lower() for w in words] == ["off"]:
        return ()
    return tuple(dict.fromkeys(require_mention(w, example=example) for w in words))


SETTINGS: dict[str, Reader] = {
    "tz": lambda w, ex: zone(_one(w, "tz", ex), example=ex),
    "hours": _hours,
    "days": lambda w, ex: weekday_range(_one(w, "days", ex), example=ex),
    "language": lambda w, ex: language(_one(w, "language", ex), example=ex),
    "nudges": lambda w, ex: switch(_one(w, "nudges", ex), "`nudges`", example=ex),
    "coaching": lambda w, ex: switch(_one(w, "coaching", ex), "`coaching`", example=ex),
    "away": _away,
}
SETTINGS_FIELDS = {"away": "away_until"}

OPTIONS: dict[str, Reader] = {
    "format": _format,
    "live": _live,
    "checkin": _checkin,
    "coaching": SETTINGS["coaching"],
    "fishbowl": _fishbowl,
    "language": SETTINGS["language"],
    "tz": SETTINGS["tz"],
}


def _pairs(args: list[str], keywords: dict[str, Reader], verb: str) -> dict[str, Any]:
    example: str | None = None
    if args and args[0].lower() not in keywords:
        known = ", ".join(keywords)
        close = difflib.get_close_matches(args[0].lower(), keywords, n=1, cutoff=0.6)
        hint = f" Did you mean `{close[0]}`?" if close else ""
        raise GrammarError(
            f"`{verb}` does not know “{args[0]}”.{hint} It knows: {known}.", example=example
        )
    values: dict[str, Any] = {}
    i = 0
    while i < len(args):
        key = args[i].lower()
        j = i + 1
        while j < len(args) and args[j].lower() not in keywords:
            j += 1
        if key in values:
            raise GrammarError(f"`{key}` is given twice.", example=example)
        values[key] = keywords[key](args[i + 1 : j], example)
        i = j
    return values


def parse_settings(args: list[str]) -> Command:
    values = _pairs(args, SETTINGS, "settings")
    return Settings(**{SETTINGS_FIELDS.get(k, k): v for k, v in values.items()})


def parse_options(args: list[str]) -> Command:
    if not args:
        return ShowOptions()
    return Options(**_pairs(args, OPTIONS, "options"))

"""Readers for words: mentions, durations, clock times, zones, days, switches, free text."""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable
from datetime import time, timedelta

from bot.commands import Command
from bot.errors import GrammarError

MAX_USER_ID = 255
"""The longest user id the store keeps; a longer "mention" is no real person."""
MENTION = re.compile(rf"<@([^<>\s]{{1,{MAX_USER_ID}}})>[,;.]?")
DURATION = re.compile(r"(\d{1,4})([mhd])")
BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
DURATION_ATTEMPT = re.compile(
    r"[-+−–]\d\S*"  # a signed number: -5m, +10, −5m
    r"|\d+(?:[.,]\d+)?(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|s|secs?|seconds?|w|weeks?)?",
    re.IGNORECASE,
)
"""A word that was meant as a duration, well formed or not (`2nd` is not one: it is a word)."""
CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
LANGUAGE = re.compile(r"[a-z]{2}(?:-[a-z]{2})?")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def mention(word: str) -> str | None:
    """The user id of a neutral mention token, or None if `word` is not one."""
    found = MENTION.fullmatch(word)
    return found.group(1) if found else None


def require_mention(word: str | None, *, example: str | None) -> str:
    if word is None:
        raise GrammarError("Say who: mention them with @.", example=example)
    user_id = mention(word)
    if user_id is not None:
        return user_id
    if word.startswith("@"):
        raise GrammarError(
            f"I could not tell who “{word}” is: pick the name from your chat app's "
            "@-list so it becomes a real mention.",
            example=example,
        )
    raise GrammarError(f"“{word}” is not a mention of a person.", example=example)


def looks_like_duration(word: str) -> bool:
    """Whether `word` was meant as a duration, so that `duration` should judge it."""
    return DURATION_ATTEMPT.fullmatch(word) is not None


def duration(word: str, *, example: str | None) -> timedelta:
    """`Nm`, `Nh` or `Nd`; a number without a unit is refused (minutes? days?)."""
    if word[:1] in "-+−–" and word[1:2].isdigit():
        raise GrammarError(
            f"“{word}” is not a duration: write a whole number and m, h or d, with no sign.",
            example=example,
        )
    found = DURATION.fullmatch(word.lower())
    if found:
        amount = int(found.group(1))
        if amount == 0:
            raise GrammarError("A duration must be longer than zero.", example=example)
        return timedelta(**{UNITS[found.group(2)]: amount})
    if BARE_NUMBER.fullmatch(word):
        raise GrammarError(
            f"“{word}” needs a unit: m for minutes, h for hours, d for days (e.g. {word}m).",
            example=example,
        )
    raise GrammarError(
        f"“{word}” is not a duration; write a whole number and m, h or d.", example=example
    )


def clock(word: str, *, example: str | None) -> time:
    found = CLOCK.fullmatch(word)
    if not found:
        raise GrammarError(f"“{word}” is not a time of day; write HH:MM.", example=example)
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        raise GrammarError(
            f"{word} does not exist on a 24-hour clock (00:00 to 23:59).", example=example
        )
    return time(hour, minute)


def looks_like_clock(word: str) -> bool:
    return CLOCK.fullmatch(word) is not None


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def known_zone(word: str) -> str | None:
    """The IANA zone name `word` spells (case-insensitively), or None."""
    return _zones_by_lower_name().get(word.lower())


def zone(word: str, *, example: str | None) -> str:
    """An IANA zone name (`Area/City`), matched case-insensitively."""
    name = known_zone(word)
    if name is None:
        raise GrammarError(
            f"I don't know the time zone “{word}”. Use an Area/City name from the "
            "IANA list, such as Europe/London or America/New_York.",
            example=example,
        )
    return name


def weekday(word: str, *, example: str | None) -> int:
    w = word.lower().removesuffix("s") if len(word) > 4 else word.lower()
    for index, name in enumerate(WEEKDAYS):
        if len(w) >= 3 and name.startswith(w):
            return index
    raise GrammarError(f"“{word}” is not a day of the week.", example=example)


def weekday_range(word: str, *, example: str | None) -> tuple[int, ...]:
    """`mon-fri`, `mon,wed,fri` or one day; a range may wrap (`fri-mon`)."""
    if "-" in word:
        first, _, last = word.partition("-")
        start, end = weekday(first, example=example), weekday(last, example=example)
        return tuple((start + i) % 7 for i in range((end - start) % 7 + 1))
    days = [weekday(part, example=example) for part in word.split(",") if part]
    if not days:
        raise GrammarError(f"“{word}” names no days.", example=example)
    return tuple(sorted(set(days)))


def whole_number(word: str, what: str, *, low: int, high: int, example: str | None) -> int:
    if not word.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        raise GrammarError(f"{what} must be a whole number, not “{word}”.", example=example)
    if len(word.lstrip("0")) > len(str(high)):  # int() refuses (or labours over) huge ones
        raise GrammarError(f"{what} must be from {low} to {high}.", example=example)
    value = int(word)
    if not low <= value <= high:
        raise GrammarError(f"{what} must be from {low} to {high}, not {value}.", example=example)
    return value


def switch(word: str | None, what: str, *, example: str | None) -> bool:
    if word is not None and word.lower() in ("on", "off"):
        return word.lower() == "on"
    raise GrammarError(f"{what} takes `on` or `off`.", example=example)


def language(word: str | None, *, example: str | None) -> str:
    if word is None or not LANGUAGE.fullmatch(word.lower()):
        raise GrammarError("A language is a two-letter code such as en, de or fr.", example=example)
    return word.lower()


MAX_TEXT = 2000
"""The longest free text a command takes (a challenge, an agreement, a note)."""


def free_text(args: list[str], verb: str) -> str | None:
    text = " ".join(args).strip()
    if len(text) > MAX_TEXT:
        raise GrammarError(f"That is {len(text)} characters; `{verb}` takes at most {MAX_TEXT}.")
    return text or None


def no_args(verb: str, args: list[str]) -> None:
    if args:
        raise GrammarError(f"`{verb}` takes no words after it.")


def no_words(verb: str, build: Callable[[], Command]) -> Callable[[list[str]], Command]:
    """The parser of a verb that takes no words after it."""

    def parse(args: list[str]) -> Command:
        no_args(verb, args)
        return build()

    return parse


def choice(args: list[str], verb: str, choices: tuple[str, ...]) -> str:
    if len(args) != 1 or args[0].lower() not in choices:
        options = " | ".join(choices)
        raise GrammarError(f"`{verb}` takes one of: {options}.", example=None)
    return args[0].lower()

"""Dates typed by people ("next Friday", "10 Dec", "2026-12-10"), read with dateparser.

`check_date` runs inside the pure grammar against a fixed reference day, only to
refuse words that are no date at all (or an impossible one, such as 31 Feb).
`resolve_date` runs in a use case, in the speaker's time zone and at the current
instant, where "next Friday" finally means a day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dateparser  # type: ignore[import-untyped]

from bot.commands import DateWords
from bot.errors import GrammarError

ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
MAX_REACH = timedelta(days=731)
CHECK_BASE = datetime(2026, 1, 1, 12, 0)
"""A fixed "now" for `check_date`, so the grammar stays pure and repeatable."""


def _read(text: str, base: datetime) -> date | None:
    if ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat("-".join(f"{int(p):02d}" for p in text.split("-")))
        except ValueError:
            return None
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": [],
    }
    found: Any = dateparser.parse(text, languages=["en"], settings=settings)
    return found.date() if isinstance(found, datetime) else None


def check_date(words: list[str], *, example: str | None) -> DateWords:
    text = " ".join(words).strip()
    if not text:
        raise GrammarError("Say which day.", example=example)
    if not re.search(r"[A-Za-z-/]", text) or len(text) > 40:
        raise GrammarError(f"I can't read “{text[:40]}” as a date.", example=example)
    days = [int(n) for n in re.findall(r"(?<![\d-])\d{1,2}(?![\d:-])", text)]
    if any(n > 31 or n == 0 for n in days):  # dateparser would read "32 Dec" as Dec 2032
        raise GrammarError(
            f"I can't read “{text}” as a date on the calendar: no month has a day "
            f"{max(days) if max(days) > 31 else 0}.",
            example=example,
        )
    if _read(text, CHECK_BASE) is None:
        raise GrammarError(
            f"I can't read “{text}” as a date on the calendar. Try an ISO date "
            "(2026-12-10), a day and month (10 Dec) or words like “next Friday”.",
            example=example,
        )
    return DateWords(text)


def resolve_date(words: DateWords, *, tz: str, now: datetime, example: str | None) -> date:
    """The day `words` name for someone in `tz` at `now` (an aware instant): today or later,
    and at most two years ahead.

    `example` is the whole correct command shown when the date is refused.
    """
    local_now = now.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    found = _read(words.text, local_now)
    if found is None:  # check_date accepted it against another base; be safe anyway
        raise GrammarError(f"I can't read “{words.text}” as a date.", example=example)
    if found < local_now.date():
        raise GrammarError(
            f"“{words.text}” reads as {found:%d %b %Y}, which has already passed; pick a day "
            "from today on.",
            example=example,
        )
    if found - local_now.date() > MAX_REACH:
        raise GrammarError(
            f"“{words.text}” reads as {found:%d %b %Y}, more than two years away.",
            example=example,
        )
    return found

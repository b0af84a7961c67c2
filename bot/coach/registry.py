"""Rules per language, keyed by language code; the member's or set's language picks them.

Adding a language means writing one `LanguageRules` (see `reading.py`) and listing it here.
"""

from __future__ import annotations

from bot.coach.english import ENGLISH
from bot.coach.reading import LanguageRules

REGISTRY: dict[str, LanguageRules] = {ENGLISH.code: ENGLISH}


def rules_for(language: str) -> LanguageRules | None:
    """The rules for a language code such as "en", "en-GB" or "en_US"; None if unknown."""
    return REGISTRY.get(language.lower().replace("_", "-").split("-")[0])

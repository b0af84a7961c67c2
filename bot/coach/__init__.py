"""The question coach: is an utterance an open question, a closed or leading one,
advice, or something else — and what open question would keep its intent?

Pure and fast: regular expressions over one utterance, then a second opinion from two small
linear models trained at build time from labelled text in the repository
(`english/learned.py`); no network. Each reading carries a confidence; the coach abstains
below `THRESHOLD` (`Assessment.coaches`). The rules
for each language live in a registry keyed by language code (`registry.py`); only English
exists today, and text that is not in the selected language is `other`.

    >>> assess("Have you tried a weekly huddle?").kind
    <Kind.LEADING: 'leading'>
"""

from __future__ import annotations

from bot.coach.assess import assess, classify, read
from bot.coach.kinds import COACHED, THRESHOLD, Assessment, Kind

__all__ = ["COACHED", "THRESHOLD", "Assessment", "Kind", "assess", "classify", "read"]

"""The private learning log: each member's own notes, shown to nobody else.

Parsed today; its behaviour is built next (answered "coming soon").
"""

from __future__ import annotations

from bot import commands as c
from bot.parsing.personal import parse_log
from bot.permissions import PERSONAL
from bot.usecases.coming_soon import coming_soon
from bot.verbs import Route, Usage, Verb

VERBS = (
    Verb(
        "log",
        parse_log,
        Usage("log TEXT · log export", "your private learning log", "log I rushed in"),
        (
            Route(c.LogEntry, PERSONAL, coming_soon),
            Route(c.LogExport, PERSONAL, coming_soon),
        ),
    ),
)

"""The facilitator's report: participation, question mix, follow-through.

Parsed and authorised today; its behaviour is built later (answered "coming soon").
"""

from __future__ import annotations

from bot import commands as c
from bot.parsing.words import no_words
from bot.permissions import F, read
from bot.usecases.coming_soon import coming_soon
from bot.verbs import Route, Usage, Verb

VERBS = (
    Verb(
        "report",
        no_words("report", c.Report),
        Usage("report", "participation, question mix, follow-through", "report"),
        (Route(c.Report, read(F), coming_soon),),
    ),
)

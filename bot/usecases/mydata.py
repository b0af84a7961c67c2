"""Members' data rights: a portable export of their own records, or erasure.

Parsed today; its behaviour is built next (answered "coming soon").
"""

from __future__ import annotations

from bot import commands as c
from bot.parsing.personal import parse_mydata
from bot.permissions import PERSONAL
from bot.usecases.coming_soon import coming_soon
from bot.verbs import Route, Usage, Verb

VERBS = (
    Verb(
        "mydata",
        parse_mydata,
        Usage("mydata export | erase", "your data, portable; or gone", "mydata export"),
        (Route(c.MyData, PERSONAL, coming_soon),),
    ),
)

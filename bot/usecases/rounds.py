"""Meetings and rounds: opening and closing a meeting, running a round's phases.

Parsed and authorised today; their behaviour is built next (answered "coming soon").
"""

from __future__ import annotations

from bot import commands as c
from bot.parsing.rounds import parse_meeting, parse_round
from bot.permissions import F, G, M, change, read
from bot.usecases.coming_soon import coming_soon
from bot.verbs import Route, Usage, Verb

VERBS = (
    Verb(
        "meeting",
        parse_meeting,
        Usage("meeting start | end", "open or close a meeting (facilitator)", "meeting start"),
        (
            Route(c.MeetingStart, change(F), coming_soon),
            Route(c.MeetingEnd, change(F), coming_soon),
        ),
    ),
    Verb(
        "round",
        parse_round,
        Usage(
            "round start [@presenter] [live Nm | async Nh|Nd] · "
            "round next|pause|resume|extend N(m|h|d)|end · round status",
            "steer a round (facilitator) · see it",
            "round start @amara live 45m",
        ),
        (
            Route(c.RoundStart, change(F), coming_soon),
            Route(c.RoundSteer, change(F), coming_soon),
            Route(c.RoundExtend, change(F), coming_soon),
            Route(c.RoundStatus, read(F, M, G), coming_soon),
        ),
    ),
)

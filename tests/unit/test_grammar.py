"""Every row of the grammar (DESIGN.md §4): valid forms, bad forms, and no crash ever."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import commands as c
from bot.errors import GrammarError
from bot.grammar import PARSERS, parse
from bot.help import USAGES
from bot.model import Role

A, B = "<@test:a>", "<@test:b>"


def as_typed(example: str) -> str:
    """Examples show `@name`; an adapter turns that into a neutral mention token."""
    return re.sub(r"(?<![<\w])@(\w+)", r"<@\1>", example)


VALID = [
    ("agree", c.Agree()),
    ("agreement", c.ShowAgreement()),
    (
        'agreement "No advice. What is said here stays here."',
        c.SetAgreement("No advice. What is said here stays here."),
    ),
    (f"add {A}", c.AddMembers(("test:a",), Role.MEMBER)),
    (f"ADD {A}   {B} as Facilitator", c.AddMembers(("test:a", "test:b"), Role.FACILITATOR)),
    (f"add {A}, {B}, {A} as member", c.AddMembers(("test:a", "test:b"), Role.MEMBER)),
    (f"remove {A}", c.RemoveMember("test:a")),
    (f"invite {A}", c.InviteGuest("test:a")),
    (f"invite {A} for next meeting", c.InviteGuest("test:a")),
    (f"sponsor {A}", c.LinkSponsor("test:a")),
    ("challenge", c.SetChallenge(None)),
    (
        "challenge I can't get two wards to share a rota",
        c.SetChallenge("I can't get two wards to share a rota"),
    ),
    ("challenge “Getting buy-in”", c.SetChallenge("Getting buy-in")),
    ("goal", c.SetGoal(None)),
    ("goal handle conflict  without withdrawing", c.SetGoal("handle conflict without withdrawing")),
    ("schedule", c.ListSchedule()),
    ("schedule cancel 3", c.CancelMeeting(3)),
    (
        "schedule every 2 weeks on Tuesday at 14:00 Europe/London for 8 meetings",
        c.ScheduleSeries(2, 1, time(14), "Europe/London", 8),
    ),
    ("schedule every week on fri at 9:30", c.ScheduleSeries(1, 4, time(9, 30), None, None)),
    (
        "Schedule EVERY 3 weeks on mondays at 08:00 for 1 meeting",
        c.ScheduleSeries(3, 0, time(8), None, 1),
    ),
    (
        "schedule every 2 weeks on wed at 16:00 america/new_york",
        c.ScheduleSeries(2, 2, time(16), "America/New_York", None),
    ),
    ("schedule 2026-12-10 14:00", c.ScheduleOnce(c.DateWords("2026-12-10"), time(14))),
    (
        "schedule next Friday 14:00 Asia/Tokyo",
        c.ScheduleOnce(c.DateWords("next Friday"), time(14), "Asia/Tokyo"),
    ),
    ("schedule on 10 Dec at 09:05", c.ScheduleOnce(c.DateWords("10 Dec"), time(9, 5))),
    ("bid", c.Bid()),
    ("bid 20m", c.Bid(20)),
    ("bid 1h the rota stalemate", c.Bid(60, "the rota stalemate")),
    ("bid the rota", c.Bid(None, "the rota")),
    ("meeting start", c.MeetingStart()),
    ("meeting END", c.MeetingEnd()),
    ("round start", c.RoundStart()),
    (f"round start {A} live 45m", c.RoundStart("test:a", "live", timedelta(minutes=45))),
    ("round start async 2d", c.RoundStart(None, "async", timedelta(days=2))),
    ("round next", c.RoundSteer("next")),
    ("round pause", c.RoundSteer("pause")),
    ("round resume", c.RoundSteer("resume")),
    ("round end", c.RoundSteer("end")),
    ("round extend 10m", c.RoundExtend(timedelta(minutes=10))),
    ("round status", c.RoundStatus()),
    ("commit call the rota team", c.CommitAction("call the rota team")),
    ("commit call Jo by next Friday", c.CommitAction("call Jo", c.DateWords("next Friday"))),
    ("actions", c.ListActions()),
    ("actions all", c.ListActions("all")),
    ("actions mine", c.ListActions("mine")),
    (f"actions {A}", c.ListActions("member", "test:a")),
    ("done 2", c.UpdateAction("done", 2)),
    ("done 2 agreed a pilot", c.UpdateAction("done", 2, "agreed a pilot")),
    ("progress 1 met them", c.UpdateAction("progress", 1, "met them")),
    ("drop 3", c.UpdateAction("drop", 3)),
    ("share 2 proud of this", c.ShareAction(2, "proud of this")),
    ("share meeting", c.ShareMeeting()),
    ("report", c.Report()),
    ("log I rushed in", c.LogEntry("I rushed in")),
    ("log export", c.LogExport()),
    ("settings", c.Settings()),
    (
        "settings tz Europe/Paris hours 09:00-17:30 days mon-thu language fr nudges off "
        "coaching on away until 2026-12-10",
        c.Settings(
            "Europe/Paris",
            (time(9), time(17, 30)),
            (0, 1, 2, 3),
            "fr",
            False,
            True,
            c.DateWords("2026-12-10"),
        ),
    ),
    ("settings days fri-mon", c.Settings(days=(4, 5, 6, 0))),
    ("options", c.Options()),
    (
        f"options format shared live 10/20/5/5/10 checkin fri coaching off fishbowl {A} {B} "
        "language de tz UTC",
        c.Options("shared", (10, 20, 5, 5, 10), 4, False, ("test:a", "test:b"), "de", "UTC"),
    ),
    ("options checkin off", c.Options(checkin="off")),
    ("close", c.CloseSet()),
    ("mydata export", c.MyData("export")),
    ("mydata erase", c.MyData("erase")),
]


@pytest.mark.parametrize(("text", "command"), VALID, ids=[t for t, _ in VALID])
def test_valid_forms(text: str, command: c.Command) -> None:
    assert parse(text) == command


def test_every_verb_has_a_valid_form_here_and_a_usage() -> None:
    tested = {text.split()[0].lower() for text, _ in VALID} | {
        "help",
        "create",
        "join",
        "leave",
        "members",
    }
    assert tested == set(PARSERS) == set(USAGES)


BAD = [
    # (input, words the answer must contain)
    ("schedul", "Did you mean `schedule`"),
    ("sponsr <@test:a>", "Did you mean `sponsor`"),
    ("frobnicate", "Try `help`"),
    ("add", "Say whom"),
    ("add @ann", "real mention"),
    ("add ann", "not a mention"),
    (f"add <@test:{'x' * 300}>", "not a mention"),  # longer than any stored user id
    ("add <@test:a> as boss", "`member` or `facilitator`"),
    ("remove", "Say who"),
    ("remove <@test:a> <@test:b>", "one person at a time"),
    ("invite <@test:a> for ever", "next meeting only"),
    ("sponsor", "Say who"),
    ("schedule 31 Feb 14:00", "as a date on the calendar"),
    ("schedule 2026-02-30 14:00", "as a date on the calendar"),
    ("schedule 2026-12-10 25:00", "does not exist on a 24-hour clock"),
    ("schedule 2026-12-10 14:60", "does not exist on a 24-hour clock"),
    ("schedule 2026-12-10 14:00 Mars/Olympus", "don't know the time zone"),
    ("schedule next Friday", "Say the day and the time"),
    ("schedule 14:00", "Say which day"),
    ("schedule every 2 weeks on Tuesday", "A series reads"),
    ("schedule every 2 weeks on Blursday at 14:00", "not a day of the week"),
    ("schedule every 0 weeks on Tuesday at 14:00", "from 1 to 8"),
    ("schedule every 2 weeks on Tuesday at 14:00 for 99 meetings", "from 1 to 26"),
    ("schedule every 2 weeks on Tuesday at 14:00 for lots", "for N meetings"),
    ("schedule cancel", "Say which meeting"),
    ("schedule cancel two", "whole number"),
    ("schedule cancel ²", "whole number"),  # a digit to str.isdigit, not to int()
    ("done ²", "whole number"),
    ("options live ²/1/1/1/1", "whole number"),
    ("bid 20", "needs a unit"),
    ("bid 3h", "at most 120 minutes"),
    ("round extend 10", "needs a unit"),
    ("round extend", "how much longer"),
    ("round start live 45", "needs a unit"),
    ("round start live 45x", "not a duration"),
    ("round dance", "`round` takes"),
    ("meeting", "takes one of"),
    ("commit", "Say what you will do"),
    ("commit call Jo by someday soonish", "as a date"),
    ("done", "Say which action"),
    ("progress 2", "needs a note"),
    ("settings tz Mars/Base", "don't know the time zone"),
    ("settings hours 09:00-09:00", "start and end at the same time"),  # 17:00-09:00 is a night
    ("settings hours 9-5", "HH:MM"),
    ("settings nudges maybe", "`on` or `off`"),
    ("settings away 10 Dec", "away until DATE"),
    ("settings away until 32 Dec", "as a date"),
    ("settings colour blue", "does not know"),
    ("settings tzz UTC", "Did you mean `tz`?"),
    ("options formt shared", "Did you mean `format`?"),
    ("settings tz UTC tz UTC", "given twice"),
    ("settings language english", "two-letter code"),
    ("options live 10/20/5", "five minute counts"),
    ("options format mixed", "`own` or `shared`"),
    ("options fishbowl", "Mention the inner set"),
    ("join now please", "takes no words"),
    ("agree with you", "takes no words"),
    ('challenge "never closed', "not closed"),
    ("mydata delete", "takes one of"),
]


@pytest.mark.parametrize(("text", "problem"), BAD, ids=[t for t, _ in BAD])
def test_bad_input_names_the_problem_and_shows_an_example(text: str, problem: str) -> None:
    with pytest.raises(GrammarError) as info:
        parse(text)
    assert problem in info.value.message
    example = info.value.example
    assert example
    if example != "help":  # the example is itself a correct command
        parse(as_typed(example))


def test_examples_in_help_all_parse() -> None:
    for usage in USAGES.values():
        parse(as_typed(usage.example))


WORDS = st.sampled_from(
    [
        *PARSERS,
        "as",
        "for",
        "every",
        "weeks",
        "on",
        "at",
        "by",
        "until",
        "cancel",
        "tz",
        "live",
        "14:00",
        "25:99",
        "10m",
        "10",
        "Europe/London",
        "<@x>",
        "@x",
        '"',
        "“",
        "next",
        "Friday",
        "2026-02-30",
        "mon-fri",
        "on",
        "off",
        "-",
        "/",
        "",
    ]
)


VERB_THEN_ANYTHING = st.tuples(st.sampled_from(sorted(PARSERS)), st.text(max_size=40)).map(" ".join)
DATE_FUZZ = st.tuples(
    st.sampled_from(["schedule", "settings away until", "commit x by"]),
    st.text(max_size=30),
    st.sampled_from(["14:00", "", "14:00 UTC"]),
).map(" ".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(WORDS, max_size=10).map(" ".join),
        VERB_THEN_ANYTHING,
        DATE_FUZZ,
    )
)
def test_no_input_makes_the_parser_raise_anything_but_a_grammar_error(text: str) -> None:
    try:
        parse(text)
    except GrammarError as exc:
        assert exc.message and exc.example

"""Every row of the grammar (DESIGN.md §4): valid forms, bad forms, and no crash ever."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import commands as c
from bot import grammar
from bot.catalogue import VERBS
from bot.errors import GrammarError
from bot.model import Role
from tests.unit.bad_commands import BAD


def parse(text: str) -> c.Command:
    return grammar.parse(VERBS, text)


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
    ("sponsor none", c.UnlinkSponsor()),
    ("sponsor Decline", c.DeclineSponsorship()),
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
    ("done 2", c.MarkDone(2)),
    ("done 2 agreed a pilot", c.MarkDone(2, "agreed a pilot")),
    ("progress 1 met them", c.NoteProgress(1, "met them")),
    ("drop 3", c.DropAction(3)),
    ("share 2 proud of this", c.ShareAction(2, "proud of this")),
    ("share meeting", c.ShareMeeting()),
    ("report", c.Report()),
    ("mydata erase confirm", c.MyData("erase confirm")),
    ("report 2 done", c.ReportOn(2, "done")),
    ("report 2 Not Done the audit came first", c.ReportOn(2, "not done", "the audit came first")),
    ("report 3 partly met Ana", c.ReportOn(3, "partly", "met Ana")),
    ("report 3 notdone", c.ReportOn(3, "not done")),
    (
        "report 2 held politics it sat with the board",
        c.ReportHeldBack(2, "politics", "it sat with the board"),
    ),
    ("log I rushed in", c.LogEntry("I rushed in")),
    ("log export", c.LogExport()),
    ("checkin", c.ShowCheckin()),
    ("checkin steps asked Jo", c.CheckinAnswer("steps", "asked Jo")),
    ("checkin NEXT the pilot", c.CheckinAnswer("next", "the pilot")),
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
    ("options", c.ShowOptions()),
    (
        f"options format shared live 10/20/5/5/10 checkin fri coaching off fishbowl {A} {B} "
        "language de tz UTC",
        c.Options("shared", (10, 20, 5, 5, 10), 4, False, ("test:a", "test:b"), "de", "UTC"),
    ),
    ("options checkin off", c.Options(checkin="off")),
    ("options fishbowl off", c.Options(fishbowl=())),
    ("note the room went quiet at budgets", c.FishbowlNote("the room went quiet at budgets")),
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
    assert tested == set(VERBS.names)


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
    for verb in VERBS:
        parse(as_typed(verb.usage.example))


WORDS = st.sampled_from(
    [
        *VERBS.names,
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


VERB_THEN_ANYTHING = st.tuples(st.sampled_from(sorted(VERBS.names)), st.text(max_size=40)).map(
    " ".join
)
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

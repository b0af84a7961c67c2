"""When nudges go out (issue 12): three kinds, in each member's working time, at most one
message a working day, away and nudges off honoured, snooze, daylight-saving changes.

Members: Ada in London (09:00-17:00 Mon-Fri, clocks go forward on Sunday 28 March 2027),
Nia a night nurse in New York (22:00-06:00 Mon-Fri, clocks go back on Sunday 7 Nov 2027),
Wei in Singapore (08:30-17:30 Mon-Fri, no daylight saving).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.nudge_timing import (
    Nudge,
    NudgeKind,
    Snooze,
    WorkingTime,
    combine_per_day,
    plan_nudges,
    snoozed,
)

ADA = WorkingTime("Europe/London")
NIA = WorkingTime("America/New_York", hours=(time(22), time(6)))
WEI = WorkingTime("Asia/Singapore", hours=(time(8, 30), time(17, 30)))
MID, BEFORE, OVERDUE = NudgeKind.MIDPOINT, NudgeKind.BEFORE_DUE, NudgeKind.OVERDUE


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2027) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(wt: WorkingTime, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=ZoneInfo(wt.tz)).astimezone(UTC)


def kinds_at(nudges: list[Nudge]) -> list[tuple[NudgeKind, datetime]]:
    return [(n.kind, n.at) for n in nudges]


def test_the_three_kinds_for_a_day_worker_across_the_spring_clock_change() -> None:
    committed, due = utc(3, 15, 10), local(ADA, 3, 31, 17)  # Mon 15 Mar GMT, Wed 31 Mar BST
    plan = plan_nudges(committed, due, committed, ADA)
    assert kinds_at(plan) == [
        (MID, utc(3, 23, 13)),  # halfway, Tue 13:00 GMT: already working time
        (BEFORE, local(ADA, 3, 29, 9)),  # Mon 29 Mar 09:00 BST: two working days before Wed
        (OVERDUE, local(ADA, 4, 1, 9)),  # the working morning after: Thu 09:00 BST
    ]
    assert local(ADA, 3, 29, 9) == utc(3, 29, 8)  # wall-clock hours kept across the change


def test_the_three_kinds_for_a_night_worker_start_at_her_shift() -> None:
    committed, due = local(NIA, 10, 25, 10), local(NIA, 11, 5, 12)  # Mon 25 Oct, Fri 5 Nov
    plan = plan_nudges(committed, due, committed, NIA)
    assert kinds_at(plan) == [
        # halfway is Sat 30 Oct 23:00, off shift: Monday night's shift start
        (MID, local(NIA, 11, 1, 22)),
        (BEFORE, local(NIA, 11, 3, 22)),  # Wednesday's shift, two working days before Friday
        (OVERDUE, local(NIA, 11, 5, 22)),  # her "working morning": Friday's shift start
    ]


def test_a_midpoint_outside_hours_moves_to_the_next_working_moment_in_singapore() -> None:
    committed, due = local(WEI, 3, 1, 20), local(WEI, 3, 12, 17)  # Mon 20:00 .. Fri week
    plan = plan_nudges(committed, due, committed, WEI)
    # halfway: Sat 6 Mar 06:30 -> Mon 8 Mar 08:30; two working days before Fri 12 is Wed 10
    assert kinds_at(plan) == [
        (MID, local(WEI, 3, 8, 8, 30)),
        (BEFORE, local(WEI, 3, 10, 8, 30)),
        (OVERDUE, local(WEI, 3, 15, 8, 30)),  # due Fri 17:00 -> Monday morning
    ]


def test_a_short_action_gets_no_reminder_before_its_commitment_nor_a_late_midpoint() -> None:
    committed, due = local(ADA, 3, 2, 10), local(ADA, 3, 3, 17)  # Tue .. Wed
    assert [n.kind for n in plan_nudges(committed, due, committed, ADA)] == [MID, OVERDUE]
    committed, due = local(ADA, 3, 1, 9), local(ADA, 3, 4, 17)  # Mon .. Thu
    # halfway (Wed 01:00 -> 09:00) falls after the before-due reminder (Tue 09:00): dropped
    assert kinds_at(plan_nudges(committed, due, committed, ADA)) == [
        (BEFORE, local(ADA, 3, 2, 9)),
        (OVERDUE, local(ADA, 3, 5, 9)),
    ]


def test_past_reminders_are_skipped_and_an_overdue_one_is_sent_late() -> None:
    committed, due = utc(3, 15, 10), local(ADA, 3, 31, 17)
    assert [n.kind for n in plan_nudges(committed, due, utc(3, 24, 9), ADA)] == [BEFORE, OVERDUE]
    late = plan_nudges(committed, due, local(ADA, 4, 3, 11), ADA)  # Saturday after the due day
    assert kinds_at(late) == [(OVERDUE, local(ADA, 4, 5, 9))]  # Monday morning, once


def test_nudges_off_means_none() -> None:
    assert plan_nudges(utc(3, 15, 10), utc(3, 31, 16), utc(3, 15, 10), ADA, nudges_on=False) == []


def test_nothing_while_away_and_what_fell_then_moves_to_the_first_working_time_after() -> None:
    committed, due = utc(3, 15, 10), local(ADA, 3, 31, 17)
    back = local(ADA, 3, 30, 0)  # away until Tue 30 Mar: midpoint and before-due fall inside
    plan = plan_nudges(committed, due, committed, ADA, away_until=back)
    assert kinds_at(plan) == [  # both move to Tuesday morning, where one reminder says enough
        (BEFORE, local(ADA, 3, 30, 9)),
        (OVERDUE, local(ADA, 4, 1, 9)),
    ]
    back = local(ADA, 3, 24, 0)  # away until Wed 24 Mar: only the midpoint moves
    plan = plan_nudges(committed, due, committed, ADA, away_until=back)
    assert [n.at for n in plan][:1] == [local(ADA, 3, 24, 9)]
    back = local(ADA, 4, 6, 0)  # away past the due date: only the overdue nudge, on return
    plan = plan_nudges(committed, due, committed, ADA, away_until=back)
    assert kinds_at(plan) == [(OVERDUE, local(ADA, 4, 6, 9))]


def test_at_most_one_message_a_day_at_the_first_instant_of_that_day() -> None:
    pairs = [
        ("a1", Nudge(MID, local(WEI, 3, 8, 15))),
        ("a2", Nudge(BEFORE, local(WEI, 3, 8, 8, 30))),
        ("a3", Nudge(OVERDUE, local(WEI, 3, 9, 8, 30))),
    ]
    sends = combine_per_day(pairs, WEI)
    assert [(s.at, [a for a, _ in s.nudges]) for s in sends] == [
        (local(WEI, 3, 8, 8, 30), ["a2", "a1"]),
        (local(WEI, 3, 9, 8, 30), ["a3"]),
    ]


def test_a_night_shift_is_one_day_even_through_the_repeated_autumn_hour() -> None:
    saturday_nights = WorkingTime(NIA.tz, NIA.hours, days=(5,))
    first, second = utc(11, 7, 5, 30), utc(11, 7, 6, 30)  # 01:30 EDT, then 01:30 EST
    assert all(saturday_nights.contains(at) for at in (first, second))
    sends = combine_per_day([("a1", Nudge(MID, second)), ("a2", Nudge(MID, first))], NIA)
    assert len(sends) == 1 and sends[0].at == first


def test_a_shift_starting_in_the_skipped_spring_hour_is_nudged_just_after_the_gap() -> None:
    early_sundays = WorkingTime("Europe/London", (time(1, 30), time(9)), days=(6,))
    [overdue] = plan_nudges(utc(3, 20, 9), utc(3, 27, 12), utc(3, 27, 12), early_sundays)
    assert overdue.at == utc(3, 28, 1, 30)  # 02:30 BST: 01:30 never happened that day
    assert overdue.at.astimezone(ZoneInfo("Europe/London")).hour == 2


def test_snooze_moves_the_nudge_a_day_or_a_week_on_the_wall_clock_into_working_time() -> None:
    assert snoozed(local(WEI, 3, 4, 10), Snooze.DAY, WEI) == local(WEI, 3, 5, 10)  # Thu -> Fri
    assert snoozed(local(WEI, 3, 5, 10), Snooze.DAY, WEI) == local(WEI, 3, 8, 8, 30)  # -> Mon
    assert snoozed(local(WEI, 3, 5, 10), Snooze.WEEK, WEI) == local(WEI, 3, 12, 10)
    # a week across the change in London keeps 10:00 on the wall clock
    assert snoozed(local(ADA, 3, 26, 10), Snooze.WEEK, ADA) == utc(4, 2, 9)
    # and never while away
    away = local(ADA, 4, 6, 0)
    assert snoozed(local(ADA, 3, 26, 10), Snooze.WEEK, ADA, away_until=away) == utc(4, 6, 8)
    # a night worker's snooze from her small hours lands in the next night's shift
    assert NIA.contains(snoozed(local(NIA, 3, 2, 3), Snooze.DAY, NIA))


# --- properties -----------------------------------------------------------------------------

ZONES = ("Europe/London", "America/New_York", "Asia/Singapore")
HOURS = (
    (time(22), time(2, 30)),
    (time(2, 15), time(10)),
    (time(9), time(17)),
    (time(22), time(6)),
    (time(8, 30), time(17, 30)),
    (time(1, 30), time(9)),
)
START = datetime(2026, 1, 1, tzinfo=UTC)

working_times = st.builds(
    WorkingTime,
    tz=st.sampled_from(ZONES),
    hours=st.sampled_from(HOURS),
    days=st.sets(st.integers(0, 6), min_size=1).map(lambda d: tuple(sorted(d))),
)
instants = st.integers(0, 2 * 365 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
spans = st.integers(60, 60 * 24 * 60).map(lambda m: timedelta(minutes=m))


@given(working_times, instants, spans, st.floats(0, 1.5), st.none() | st.integers(0, 60 * 24 * 40))
def test_every_nudge_is_in_working_time_once_a_day_never_past_nor_while_away(
    wt: WorkingTime, committed: datetime, span: timedelta, late: float, away_after: int | None
) -> None:
    due, now = committed + span, committed + span * late
    away = None if away_after is None else committed + timedelta(minutes=away_after)
    plan = plan_nudges(committed, due, now, wt, away_until=away)
    assert all(wt.contains(n.at) and n.at >= now for n in plan)
    assert all(n.at >= away for n in plan) if away else True
    assert len({wt.working_day(n.at) for n in plan}) == len(plan)
    assert [n.at for n in plan] == sorted(n.at for n in plan)
    assert [n.kind for n in plan if n.at > due] == [OVERDUE]  # exactly one, after the due time


@given(working_times, st.lists(st.tuples(instants, spans), min_size=1, max_size=6), instants)
def test_a_members_actions_combine_into_one_working_time_send_a_day(
    wt: WorkingTime, actions: list[tuple[datetime, timedelta]], now: datetime
) -> None:
    pairs = [
        (i, nudge)
        for i, (committed, span) in enumerate(actions)
        for nudge in plan_nudges(committed, committed + span, now, wt)
    ]
    sends = combine_per_day(pairs, wt)
    assert all(wt.contains(s.at) for s in sends)
    assert len({s.day for s in sends}) == len(sends)
    assert sum(len(s.nudges) for s in sends) == len(pairs)
    assert all(s.at == min(n.at for _, n in s.nudges) for s in sends)


@given(working_times, instants, st.sampled_from(Snooze), st.none() | instants)
def test_a_snoozed_nudge_is_in_working_time_and_not_while_away(
    wt: WorkingTime, pressed: datetime, snooze: Snooze, away: datetime | None
) -> None:
    at = snoozed(pressed, snooze, wt, away_until=away)
    assert wt.contains(at) and at > pressed
    assert at >= away if away else True

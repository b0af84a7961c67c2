"""The round state machine: phases in order, pause/resume/extend arithmetic, refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import Conflict
from bot.model import PHASES, AirtimeBid, Mode, Phase, Round, fair_agenda
from bot.model.rounds import DEFAULT_LIVE_MINUTES, async_lengths, live_lengths

T = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def live(template: tuple[int, ...] | None = (5, 10, 5, 5, 5)) -> Round:
    return Round.start(
        "r1",
        set_id="s1",
        meeting_id="h1",
        presenter_id="ann",
        mode=Mode.LIVE,
        lengths=live_lengths(template, None),
        now=T,
        by="fay",
    )


def test_next_walks_every_phase_then_closes() -> None:
    r = live()
    seen = [r.phase]
    for n in range(1, 6):
        seen.append(r.next(T + n * MIN))
    assert seen == [*PHASES, Phase.CLOSED]
    assert r.closed_at == T + 5 * MIN and r.deadline is None and not r.is_open
    with pytest.raises(Conflict):
        r.next(T + 6 * MIN)


def test_each_phase_gets_its_own_length_from_when_it_starts() -> None:
    r = live()
    assert r.deadline == T + 5 * MIN
    r.next(T + 2 * MIN)  # early
    assert (r.phase, r.phase_started_at, r.deadline) == (Phase.QUESTIONS, T + 2 * MIN, T + 12 * MIN)


def test_pausing_stops_the_clock_and_resuming_gives_the_time_back() -> None:
    r = live()
    r.pause(T + 3 * MIN)
    assert r.deadline is None and r.paused_left == 2 * MIN
    assert r.left(T + timedelta(hours=5)) == 2 * MIN  # time does not run while paused
    r.resume(T + 60 * MIN)
    assert r.deadline == T + 62 * MIN and r.paused_left is None
    assert r.left(T + 61 * MIN) == MIN


def test_extend_adds_to_the_running_clock_or_to_the_time_left_when_paused() -> None:
    r = live()
    r.extend(10 * MIN, T + MIN)
    assert r.deadline == T + 15 * MIN
    r.pause(T + 5 * MIN)
    r.extend(3 * MIN, T + 20 * MIN)
    assert r.paused_left == 13 * MIN
    r.resume(T + 30 * MIN)
    assert r.deadline == T + 43 * MIN


def test_extending_an_overrun_phase_counts_from_now() -> None:
    r = live()
    r.extend(2 * MIN, T + 8 * MIN)  # its deadline (T+5) has passed; the timer is late
    assert r.deadline == T + 10 * MIN


def test_next_from_a_paused_phase_runs_the_clock_again() -> None:
    r = live()
    r.pause(T + MIN)
    r.next(T + 2 * MIN)
    assert not r.is_paused and r.deadline == T + 12 * MIN


def test_pause_twice_resume_unpaused_and_changing_a_closed_round_are_refused() -> None:
    r = live()
    with pytest.raises(Conflict, match="not paused"):
        r.resume(T)
    r.pause(T)
    with pytest.raises(Conflict, match="already paused"):
        r.pause(T)
    r.close(T)
    for change in (r.pause, r.resume, r.close):
        with pytest.raises(Conflict, match="ended"):
            change(T)


def test_every_change_is_a_new_step_so_old_timer_keys_go_stale() -> None:
    r = live()
    keys = {r.timer_key("k")}
    for change in (lambda: r.pause(T), lambda: r.resume(T), lambda: r.extend(MIN, T)):
        change()
        keys.add(r.timer_key("k"))
    r.next(T, by_work="work-1")
    keys.add(r.timer_key("k"))
    assert len(keys) == 5 and r.advanced_by == "work-1"
    r.pause(T)
    assert r.advanced_by is None  # a later change is not that work's doing


def test_live_lengths_follow_the_template_scaled_to_the_length_given() -> None:
    assert live_lengths(None, None) == tuple(timedelta(minutes=m) for m in DEFAULT_LIVE_MINUTES)
    assert sum(live_lengths(None, None), timedelta()) == 40 * MIN
    scaled = live_lengths((10, 20, 5, 5, 10), timedelta(minutes=25))
    assert scaled == (5 * MIN, 10 * MIN, 2.5 * MIN, 2.5 * MIN, 5 * MIN)
    assert min(live_lengths((1, 50, 1, 1, 1), timedelta(minutes=10))) == MIN  # a floor


def test_async_windows_share_the_length_and_give_questions_the_most() -> None:
    windows = async_lengths(timedelta(days=3))
    assert sum(windows, timedelta()) == timedelta(days=3)
    assert max(windows) == windows[1] == timedelta(days=3) * 4 / 10


def bid(user: str, minutes: int | None, at: int) -> AirtimeBid:
    return AirtimeBid("s1", "m1", user, T + at * MIN, minutes)


def test_agenda_puts_who_presented_least_recently_first_then_the_larger_bid() -> None:
    bids = [bid("ann", 30, 0), bid("ben", 20, 1), bid("cat", 40, 2), bid("dan", 10, 3)]
    last = {"ann": T - timedelta(days=14), "cat": T - timedelta(days=28)}
    agenda = fair_agenda(bids, last, minutes=60)
    assert [i.user_id for i in agenda] == ["ben", "dan", "cat", "ann"]
    assert [i.fits for i in agenda] == [True, True, False, False]  # 20+10+40 > 60


def test_agenda_between_equals_takes_the_larger_bid_then_the_earlier() -> None:
    bids = [bid("ann", 10, 0), bid("ben", None, 1), bid("cat", 30, 2), bid("dan", 30, 3)]
    agenda = fair_agenda(bids, {})
    assert [i.user_id for i in agenda] == ["cat", "dan", "ben", "ann"]
    assert agenda[2].minutes == 20  # a bid without minutes counts as 20

"""Meetings in local wall time across daylight-saving changes, listed in each reader's time."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time

import pytest

from bot.dispatch import Core
from bot.schedules import local_to_utc, series
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import is_error, private_to, public_in, say


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def starts(store: MemoryStore) -> list[datetime]:
    return sorted(m.starts_at for m in store.committed.meetings.values() if not m.cancelled_at)


@pytest.mark.parametrize(
    ("tz", "now", "weekday", "clock", "expected_utc"),
    [
        # London falls back on Sun 25 Oct 2026: 14:00 local is 13:00 UTC, then 14:00 UTC.
        (
            "Europe/London",
            at(2026, 10, 1),
            1,
            time(14),
            [at(2026, 10, 6, 13), at(2026, 10, 20, 13), at(2026, 11, 3, 14)],
        ),
        # New York springs forward on Sun 14 Mar 2027: 14:00 local is 19:00 UTC, then 18:00.
        (
            "America/New_York",
            at(2027, 2, 24),
            1,
            time(14),
            [at(2027, 3, 2, 19), at(2027, 3, 16, 18), at(2027, 3, 30, 18)],
        ),
    ],
)
def test_fortnightly_meetings_keep_their_local_time(
    tz: str, now: datetime, weekday: int, clock: time, expected_utc: list[datetime]
) -> None:
    found = series(now=now, every_weeks=2, weekday=weekday, at=clock, tz=tz, count=3)
    assert [o.starts_at for o in found] == expected_utc
    assert all(o.note is None for o in found)


@pytest.mark.parametrize(
    ("tz", "day", "clock", "expected_utc", "local"),
    [
        # the missing hour moves forward by the gap
        ("Europe/London", (2027, 3, 28), time(1, 30), at(2027, 3, 28, 1, 30), "02:30"),
        ("America/New_York", (2027, 3, 14), time(2, 30), at(2027, 3, 14, 7, 30), "03:30"),
        # the repeated hour means the first of the two
        ("Europe/London", (2027, 10, 31), time(1, 30), at(2027, 10, 31, 0, 30), "01:30 BST"),
        ("America/New_York", (2027, 11, 7), time(1, 30), at(2027, 11, 7, 5, 30), "01:30 EDT"),
    ],
)
def test_skipped_and_repeated_local_times(
    tz: str, day: tuple[int, int, int], clock: time, expected_utc: datetime, local: str
) -> None:
    from datetime import date

    occurrence = local_to_utc(date(*day), clock, tz)
    assert occurrence.starts_at == expected_utc
    assert occurrence.note is not None and local in occurrence.note


def test_a_series_without_a_count_is_bounded() -> None:
    now = at(2026, 11, 24)
    weekly = series(now=now, every_weeks=1, weekday=1, at=time(14), tz="UTC", count=None)
    assert len(weekly) == 12  # 12 meetings come before 6 months
    monthly = series(now=now, every_weeks=4, weekday=1, at=time(14), tz="UTC", count=None)
    assert len(monthly) == 7  # 6 months come before 12 meetings
    assert monthly[-1].starts_at - now <= series.__globals__["DEFAULT_SPAN"]


async def test_series_through_the_core_across_the_gap(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    clock.current = at(2027, 3, 1)
    await say(core, "fay", "create Night shift", tz="America/New_York")
    outcome = await say(core, "fay", "schedule every week on Sunday at 02:30 for 3 meetings")
    (announcement,) = public_in(outcome)
    assert "planned 3 meetings, every week on Sunday at 02:30 (America/New_York)" in announcement
    assert "02:30 does not exist on 14 Mar 2027" in announcement and "03:30 instead" in announcement
    assert starts(store) == [at(2027, 3, 7, 7, 30), at(2027, 3, 14, 7, 30), at(2027, 3, 21, 6, 30)]


async def test_a_series_notes_only_the_meetings_it_planned(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    clock.current = at(2027, 3, 1)
    await say(core, "fay", "create Night shift", tz="America/New_York")
    await say(core, "fay", "schedule 2027-03-14 02:30")  # already planned, with its own note
    outcome = await say(core, "fay", "schedule every week on Sunday at 02:30 for 3 meetings")
    (announcement,) = public_in(outcome)
    assert "planned 2 meetings" in announcement
    assert "does not exist" not in announcement
    assert len(starts(store)) == 3


async def test_schedule_lists_in_each_readers_own_time(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    await say(core, "ann", "join", tz="Asia/Tokyo")
    await say(core, "ann", "agree")
    await say(core, "fay", "schedule every 2 weeks on Tuesday at 14:00 for 2 meetings")
    outcome = await say(core, "ann", "schedule")
    (listing,) = private_to(outcome, "ann")
    assert "your time zone: Asia/Tokyo" in listing
    # the first Tuesday is today (the fake clock starts Tue 24 Nov 2026 09:00 UTC)
    assert "Tue 24 Nov 2026 23:00 JST" in listing and "Tue 08 Dec 2026 23:00 JST" in listing
    assert starts(store) == [at(2026, 11, 24, 14), at(2026, 12, 8, 14)]
    (fay_listing,) = private_to(await say(core, "fay", "schedule"), "fay")
    assert "Tue 24 Nov 2026 14:00 GMT" in fay_listing


async def test_one_off_dates_are_read_in_the_speakers_zone(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    clock.current = at(2026, 11, 26, 20)  # Thursday evening in London, Friday morning in Auckland
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    await say(core, "fay", "schedule tomorrow 14:00")
    await say(core, "fay", "add <@test:kiri> as facilitator")
    await say(core, "kiri", "agree", tz="Pacific/Auckland")
    await say(core, "kiri", "schedule tomorrow 14:00", tz="Pacific/Auckland")
    assert starts(store) == [at(2026, 11, 27, 14), at(2026, 11, 28, 14)]  # in the set's zone


async def test_bad_schedules_change_nothing(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    await say(core, "fay", "schedule 2026-12-10 14:00")
    before = copy.deepcopy(store.committed)
    for text, problem in [
        ("schedule 2026-11-01 14:00", "has already passed"),
        ("schedule 2026-12-10 14:00", "already planned"),
        ("schedule 2026-12-10 14:00 Nowhere/Land", "don't know the time zone"),
        ("schedule 30 Feb 14:00", "as a date on the calendar"),
        ("schedule 2030-12-10 14:00", "more than two years away"),
        ("schedule cancel 2", "There is no meeting 2"),
    ]:
        outcome = await say(core, "fay", text)
        assert is_error(outcome) and problem in private_to(outcome, "fay")[0], text
        assert "Example:" in private_to(outcome, "fay")[0]
        assert store.committed == before
    far = private_to(await say(core, "fay", "schedule 2030-12-10 14:00"), "fay")[0]
    assert "Example: `/set schedule 10 Dec 14:00`" in far  # a whole command, not a bare date


async def test_cancel_one_meeting_of_a_series(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    await say(core, "fay", "schedule every 2 weeks on Tuesday at 14:00 for 3 meetings")
    outcome = await say(core, "fay", "schedule cancel 2")
    assert public_in(outcome) == ["The meeting on Tue 08 Dec 2026 14:00 UTC is cancelled."]
    assert starts(store) == [at(2026, 11, 24, 14), at(2026, 12, 22, 14)]
    (listing,) = private_to(await say(core, "fay", "schedule"), "fay")
    assert "2: " in listing and "22 Dec" in listing and "08 Dec" not in listing


async def test_bids_for_the_next_meeting(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders", tz="Europe/London")
    await say(core, "ann", "join")
    await say(core, "ann", "agree")
    before = copy.deepcopy(store.committed)
    outcome = await say(core, "ann", "bid 20m")
    assert is_error(outcome) and "nothing to bid for" in private_to(outcome, "ann")[0]
    assert store.committed == before
    await say(core, "fay", "schedule every 2 weeks on Tuesday at 14:00 for 2 meetings")
    await say(core, "ann", "bid 20m the rota")
    outcome = await say(core, "ann", "bid 30m the rota, and more")  # a new bid replaces the old
    assert public_in(outcome) == ["@ann bid for airtime for 30 minutes."]
    (bid,) = store.committed.bids.values()
    assert (bid.minutes, bid.note) == (30, "the rota, and more")
    assert min(store.committed.meetings.values(), key=lambda m: m.starts_at).id == bid.meeting_id
    (listing,) = private_to(await say(core, "fay", "schedule"), "fay")
    assert "bid 1: @ann — 30 min: the rota, and more" in listing

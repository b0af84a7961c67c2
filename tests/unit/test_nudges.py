"""Nudges about actions with a fake clock: three members in three zones (London across the
spring clock change, a New York night nurse across America's, Singapore), weeks of sends,
and everything that stops or moves them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.context import Context
from bot.dispatch import Core, handle_due, handle_form, handle_press
from bot.duework import DueWork
from bot.messages import Buttons, Direct, Message, Outcome, Outgoing, Update
from bot.model import Actor, Place, PlaceKind
from bot.nudge_timing import WorkingTime
from bot.plain import render_message
from bot.presses import Press
from bot.usecases.nudge_plan import KIND
from bot.usecases.nudges import DONE, NOTE, SNOOZE_DAY, SNOOZE_WEEK
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set, pending, run_until
from tests.unit.talk import is_error, public_in, say, uid

START = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # a Monday; both clock changes ahead
UNTIL = datetime(2027, 4, 20, tzinfo=UTC)
ZONES = {"ann": "Europe/London", "ben": "America/New_York", "cho": "Asia/Singapore"}
NIGHTS = "settings hours 22:00-06:00"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@dataclass(frozen=True)
class Sent:
    at: datetime
    item: DueWork
    out: Outgoing

    @property
    def to(self) -> str:
        assert isinstance(self.out.to, Direct)
        return self.out.to.user_id

    @property
    def text(self) -> str:
        return render_message(self.out.message, name_of=lambda u: u.removeprefix("test:"))


def working_time(name: str) -> WorkingTime:
    hours = (datetime(1, 1, 1, 22).time(), datetime(1, 1, 1, 6).time()) if name == "ben" else None
    return WorkingTime.of(ZONES[name], hours)


async def three_members(core: Core) -> None:
    await a_set(core, "ann", "ben", "cho", name=f"Ward {PLANTED}")
    assert not is_error(await say(core, "ben", NIGHTS, tz=ZONES["ben"]))
    for name, zone in ZONES.items():
        assert not is_error(await say(core, name, f"settings tz {zone}"))


async def commit(core: Core, name: str, words: str) -> None:
    text, _, by = words.rpartition(" by ")
    outcome = await say(core, name, f"commit {text} {PLANTED} by {by}", tz=ZONES[name])
    assert not is_error(outcome), outcome


async def sweep(core: Core, store: MemoryStore, clock: FakeClock, until: datetime) -> list[Sent]:
    """Run every due item at its moment up to `until`; the nudges sent, in order."""
    sent = []
    for item, outcome in await run_until(core, store, clock, until):
        sent += [Sent(item.due_at, item, o) for o in outcome.messages if item.kind == KIND]
    return sent


def by_member(sent: list[Sent]) -> dict[str, list[Sent]]:
    found: dict[str, list[Sent]] = defaultdict(list)
    for s in sent:
        found[s.to.removeprefix("test:")].append(s)
    return found


def the_buttons(message: Message) -> list[tuple[str, str, str]]:
    return [
        (b.label, b.action, b.value)
        for blk in message.blocks
        if isinstance(blk, Buttons)
        for b in blk.buttons
    ]


# --- timing -------------------------------------------------------------------------------


async def test_three_zones_are_nudged_only_in_working_time_at_most_once_a_working_day(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await three_members(core)
    for name in ZONES:
        await commit(core, name, "ask for a budget by 2027-03-12")
        await commit(core, name, "talk to the rota team by 2027-03-26")
        await commit(core, name, "draft the business case by 2027-04-02")
    sent = await sweep(core, store, clock, UNTIL)
    mine = by_member(sent)
    assert set(mine) == set(ZONES)
    for name, sends in mine.items():
        wt = working_time(name)
        days: list[date] = [wt.working_day(s.at) for s in sends]
        assert all(wt.contains(s.at) for s in sends), name
        assert len(days) == len(set(days)), f"{name} was nudged twice on a working day"
        assert all(s.out.message.key == s.item.key for s in sends)  # tagged for de-duplication
        assert all(PLANTED not in s.item.key for s in sends)  # ids and times only
        # each action: a midpoint, a before-due and an overdue reminder, some combined
        texts = " ".join(s.text for s in sends)
        assert texts.count("Action ") >= 8 and texts.count("passed") >= 3, name
        assert all(len(the_buttons(s.out.message)) % 4 == 0 for s in sends)
    # London: the overdue nudge after 26 March is on Monday 29th at 09:00 BST (08:00 UTC),
    # after the clock change on the 28th
    ann_days = {s.at for s in mine["ann"]}
    assert datetime(2027, 3, 29, 8, 0, tzinfo=UTC) in ann_days
    # the night nurse: every nudge at the start of a 22:00 shift, New York time, across
    # America's change on 14 March (03:00 UTC before it, 02:00 after)
    ben = [s.at for s in mine["ben"]]
    assert {a.hour for a in ben if a < datetime(2027, 3, 14, tzinfo=UTC)} == {3}
    assert {a.hour for a in ben if a > datetime(2027, 3, 15, tzinfo=UTC)} == {2}
    assert all(a.minute == 0 for a in ben)
    # Singapore: 09:00 local is 01:00 UTC, never on a weekend there
    cho = [s.at.astimezone(ZoneInfo(ZONES["cho"])) for s in mine["cho"]]
    assert all(a.weekday() < 5 and 9 <= a.hour < 17 for a in cho)
    assert pending(store, KIND) == []  # every action past its overdue nudge: nothing left


async def test_several_actions_due_the_same_day_come_in_one_message(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await three_members(core)
    await commit(core, "cho", "call the ward manager by 2027-03-12")
    await commit(core, "cho", "book the room by 2027-03-12")
    sent = await sweep(core, store, clock, UNTIL)
    assert len(sent) == 3  # midpoint, before due, overdue: each for both actions at once
    assert all("Action 1" in s.text and "Action 2" in s.text for s in sent)
    assert all(len(the_buttons(s.out.message)) == 8 for s in sent)


# --- what stops them ---------------------------------------------------------------------


async def nudges_of(store: MemoryStore, name: str) -> list[DueWork]:
    return [w for w in pending(store, KIND) if w.user_id == uid(name)]


async def test_done_dropped_away_left_and_nudges_off_stop_them(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await three_members(core)
    await commit(core, "ann", "talk to the rota team by 2027-03-26")  # 1
    await commit(core, "ben", "draft the case by 2027-03-26")  # 2
    await commit(core, "cho", "call the ward manager by 2027-03-26")  # 3
    await commit(core, "cho", "book the room by 2027-03-26")  # 4
    assert all([await nudges_of(store, n) for n in ZONES])
    assert not is_error(await say(core, "ann", "done 1"))
    assert await nudges_of(store, "ann") == []
    assert not is_error(await say(core, "ben", "nudges off".join(["settings ", ""])))
    assert await nudges_of(store, "ben") == []
    assert not is_error(await say(core, "cho", "drop 3"))
    assert not is_error(await say(core, "cho", "settings away until 2027-03-29"))
    planned = await nudges_of(store, "cho")
    assert planned and all(w.due_at >= datetime(2027, 3, 29, tzinfo=UTC) for w in planned)
    sent = await sweep(core, store, clock, datetime(2027, 3, 29, tzinfo=UTC))
    assert sent == []
    assert not is_error(await say(core, "cho", "leave"))
    assert await nudges_of(store, "cho") == []
    assert await sweep(core, store, clock, UNTIL) == []
    # nudges on again: ben's open action is planned again, the overdue nudge late but sent
    assert not is_error(await say(core, "ben", "settings nudges on"))
    sent = await sweep(core, store, clock, UNTIL + timedelta(days=7))
    assert [s.to for s in sent] == [uid("ben")] and "passed" in sent[0].text


async def test_moved_hours_move_the_plan(core: Core, store: MemoryStore, clock: FakeClock) -> None:
    await three_members(core)
    await commit(core, "cho", "call the ward manager by 2027-03-26")
    before = [w.due_at for w in await nudges_of(store, "cho")]
    assert not is_error(await say(core, "cho", "settings hours 13:00-15:00"))
    after = [w.due_at for w in await nudges_of(store, "cho")]
    assert len(after) == len(before) and all(
        a.astimezone(ZoneInfo(ZONES["cho"])).hour == 13 for a in after
    )


# --- the message and its buttons ----------------------------------------------------------

DM = Place("test:dm-cho", PlaceKind.PERSONAL, "test")


def presser(name: str, place: Place = DM) -> Context:
    return Context(place, Actor(uid(name), name), trigger="trig")


async def first_nudge(core: Core, store: MemoryStore, clock: FakeClock) -> Sent:
    await three_members(core)
    await commit(core, "cho", "call the ward manager by 2027-03-26")
    (item, *_) = await nudges_of(store, "cho")
    (sent,) = await sweep(core, store, clock, item.due_at)
    return sent


def button(sent: Sent, action: str) -> Press:
    (value,) = {v for _, a, v in the_buttons(sent.out.message) if a == action}
    return Press(action, value)


def updates(outcome: Outcome) -> list[str]:
    return [
        render_message(o.message, name_of=lambda u: u.removeprefix("test:"))
        for o in outcome.messages
        if isinstance(o.to, Update)
    ]


async def test_the_nudge_is_a_direct_message_with_four_buttons(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    sent = await first_nudge(core, store, clock)
    assert sent.to == uid("cho") and sent.out.remember == sent.item.key
    assert f"Action 1 in “Ward {PLANTED}”: call the ward manager {PLANTED}" in sent.text
    assert "halfway" in sent.text.lower()
    assert [(label, action) for label, action, _ in the_buttons(sent.out.message)] == [
        ("Done", DONE),
        ("Snooze a day", SNOOZE_DAY),
        ("Snooze a week", SNOOZE_WEEK),
        ("Add a progress note", NOTE),
    ]
    assert all(PLANTED not in v for _, _, v in the_buttons(sent.out.message))


async def test_pressing_done_closes_the_action_updates_the_message_and_twice_changes_nothing(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    sent = await first_nudge(core, store, clock)
    outcome = await handle_press(core, presser("cho"), button(sent, DONE))
    (action,) = store.committed.actions.values()
    assert action.status == "done" and action.closed_at == clock.now()
    (update,) = [o for o in outcome.messages if isinstance(o.to, Update)]
    assert isinstance(update.to, Update) and update.to.remembered == sent.item.key
    assert update.to.place_id == DM.id
    assert "Done — thank you" in updates(outcome)[0] and not the_buttons(update.message)
    assert public_in(outcome, Place("test:room", PlaceKind.CHANNEL, "test")) == [
        f"@cho did action 1: call the ward manager {PLANTED}"
    ]
    assert await nudges_of(store, "cho") == []
    again = await handle_press(core, presser("cho"), button(sent, DONE))
    assert [a.closed_at for a in store.committed.actions.values()] == [action.closed_at]
    assert "already done" in " ".join(
        render_message(o.message, name_of=str) for o in again.messages
    )
    assert not public_in(again, Place("test:room", PlaceKind.CHANNEL, "test"))


async def test_only_the_owner_may_press(core: Core, store: MemoryStore, clock: FakeClock) -> None:
    sent = await first_nudge(core, store, clock)
    refused = await handle_press(core, presser("ann"), button(sent, DONE))
    assert is_error(refused)
    assert [a.status for a in store.committed.actions.values()] == ["open"]


async def test_snooze_moves_the_nudge_not_the_due_date(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    sent = await first_nudge(core, store, clock)
    (action,) = store.committed.actions.values()
    pressed_at = clock.now()
    outcome = await handle_press(core, presser("cho"), button(sent, SNOOZE_WEEK))
    assert "Snoozed: I'll nudge you again" in updates(outcome)[0]
    (after,) = store.committed.actions.values()
    assert after.due_at == action.due_at and after.status == "open"
    first = (await nudges_of(store, "cho"))[0]
    assert first.due_at >= pressed_at + timedelta(days=7)
    # a second press counts from itself: still one snooze, a day from now
    await handle_press(core, presser("cho"), button(sent, SNOOZE_DAY))
    first = (await nudges_of(store, "cho"))[0]
    assert pressed_at + timedelta(days=1) <= first.due_at < pressed_at + timedelta(days=4)
    snoozes = [n for n in store.committed.nudges.values() if n.kind == "snoozed"]
    assert len(snoozes) == 1
    (back,) = await sweep(core, store, clock, first.due_at)
    assert "back, as you asked" in back.text.lower()


async def test_a_progress_note_by_button_opens_a_form_and_its_answer_is_noted(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    sent = await first_nudge(core, store, clock)
    opened = await handle_press(core, presser("cho"), button(sent, NOTE))
    (form,) = opened.forms
    assert form.user_id == uid("cho") and form.trigger == "trig"
    assert [f.name for f in form.form.fields] == ["text"]
    outcome = await handle_form(core, presser("cho"), form.form.action, {"text": "met them"})
    (action,) = store.committed.actions.values()
    assert [n.text for n in action.notes] == ["met them"]
    assert "progress notes: 1" in updates(outcome)[0]
    empty = await handle_form(core, presser("cho"), form.form.action, {"text": "  "})
    assert is_error(empty) and len(next(iter(store.committed.actions.values())).notes) == 1


async def test_a_send_outside_working_time_moves_and_a_second_one_that_day_waits(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await three_members(core)
    await commit(core, "cho", "call the ward manager by 2027-03-26")
    (item, *_) = await nudges_of(store, "cho")
    # the sweep comes late, after the working day (downtime): nothing is sent then
    clock.current = item.due_at + timedelta(hours=12)
    result = await handle_due(core, item)
    assert getattr(result, "reason", "") == "outside working time: moved"
    store.committed.due_work.pop(item.key, None)
    store.committed.finished.add(item.key)
    moved = await nudges_of(store, "cho")
    assert moved and moved[0].due_at > clock.now()
    sent = await sweep(core, store, clock, moved[0].due_at)
    assert len(sent) == 1 and "halfway" in sent[0].text.lower()  # moved, not lost


async def test_an_erased_member_is_never_nudged_again(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await three_members(core)
    await commit(core, "cho", "call the ward manager by 2027-03-26")
    assert await nudges_of(store, "cho")
    dm = Place("test:dm-cho", PlaceKind.PERSONAL, "test")
    assert not is_error(await say(core, "cho", "mydata erase confirm", place=dm))
    assert await nudges_of(store, "cho") == []
    assert [n for n in store.committed.nudges.values() if n.member_id == uid("cho")] == []
    assert [s for s in await sweep(core, store, clock, UNTIL) if s.to == uid("cho")] == []

"""Keeping a member's nudges planned: the stored plan and the due work that sends it.

`keep_member_nudges` is the one place that plans a member's nudges, called whenever
something they depend on changes: an action committed, noted, done, dropped or re-dated
(`bot.usecases.action_hooks.keep_action_nudges`), the member's settings (zone, hours,
days, `nudges off`, `away until`), their leaving or removal, a snooze, and each send.

It replans every open action of the member in every set they are active in
(`bot.nudge_timing.plan_nudges`, against the action's due moment or else the set's next
meeting), keeps what was already sent (a reminder is sent once per due moment, and a
working day that had a nudge gets no other: what falls on it moves to the next shift's
start) and keeps a snooze (nothing about that action before it). The plan is stored
(`ActionNudge` rows), and one row of due work per working day with nudges — kind
`action.nudge`, keyed by member and instant, due at that day's first nudge — sends them
all in one message (`bot.usecases.nudges`). Due-work rows of the old plan that the new
one does not have are cancelled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.duework import DueWork, work_key
from bot.model import DEFAULT_TZ, Action, ActionNudge, LearningSet, PersonSettings, SetStatus
from bot.nudge_timing import NudgeKind, WorkingTime, plan_nudges
from bot.ports import UnitOfWork

KIND = "action.nudge"
REMINDERS = frozenset({NudgeKind.MIDPOINT.value, NudgeKind.BEFORE_DUE.value})
"""Nudges that speak before the due moment (dropped if they would land at or after it)."""


@dataclass(frozen=True)
class Nudgeable:
    """An open action its owner may be nudged about, and the moment nudges aim at."""

    action: Action
    learning_set: LearningSet
    due_at: datetime


@dataclass(frozen=True)
class MemberTime:
    working_time: WorkingTime
    settings: PersonSettings


def send_key(member_id: str, at: datetime) -> str:
    """The due-work key of the member's send at `at` (one per working day)."""
    return work_key(KIND, member_id, at.strftime("%Y%m%dT%H%M%S"))


async def nudgeable(uow: UnitOfWork, member_id: str, now: datetime) -> list[Nudgeable]:
    """The member's open actions in the open sets they are active in, with a due moment
    (the action's own, else the set's next meeting)."""
    found: list[Nudgeable] = []
    for membership in await uow.memberships.of_user(member_id):
        if not membership.active:
            continue
        learning_set = await uow.sets.get(membership.set_id)
        if learning_set is None or learning_set.status is SetStatus.CLOSED:
            continue
        for action in await uow.actions.of_set(learning_set.id):
            if action.owner_id != member_id or not action.is_open:
                continue
            due_at = action.due_at
            if due_at is None:
                upcoming = await uow.meetings.upcoming(learning_set.id, now)
                due_at = upcoming[0].starts_at if upcoming else None
            if due_at is not None:
                found.append(Nudgeable(action, learning_set, due_at))
    return found


async def member_time(uow: UnitOfWork, member_id: str, fallback_tz: str | None) -> MemberTime:
    """The member's working time: own zone, else profile, else `fallback_tz` (a set's)."""
    person = await uow.people.get(member_id)
    settings = await uow.person_settings.get(member_id) or PersonSettings(member_id)
    fallback = fallback_tz or DEFAULT_TZ
    zone = person.zone(fallback) if person else fallback
    return MemberTime(WorkingTime.of(zone, settings.hours, settings.days), settings)


async def time_of(uow: UnitOfWork, member_id: str, targets: list[Nudgeable]) -> MemberTime:
    fallback = targets[0].learning_set.tz if targets else None
    if fallback is None:
        memberships = await uow.memberships.of_user(member_id)
        first = await uow.sets.get(memberships[0].set_id) if memberships else None
        fallback = first.tz if first else None
    return await member_time(uow, member_id, fallback)


async def keep_member_nudges(
    uow: UnitOfWork,
    member_id: str,
    now: datetime,
    *,
    due: Literal["keep", "move"] = "keep",
    sending: str | None = None,
) -> list[ActionNudge]:
    """Replan the member's nudges (see the module docstring); returns the new plan.

    `due`: what becomes of planned nudges already due but not sent. "keep" (a change
    between their moment and the sweep): they stay as they are, and their send with
    them. "move" (the send itself found it could not send them now): they move to the
    first moment they may go. `sending` is the key of the send being handled, which is
    neither cancelled nor scheduled here."""
    stored = await uow.nudges.of_member(member_id)
    targets = await nudgeable(uow, member_id, now)
    mt = await time_of(uow, member_id, targets)
    wt, settings = mt.working_time, mt.settings
    planned = [n for n in stored if not n.sent]
    sent_days = {wt.working_day(n.sent_at) for n in stored if n.sent_at is not None}
    new: list[ActionNudge] = []
    if settings.nudges:
        for target in targets:
            new += _plan_action(target, stored, wt, settings, now, due)
    away = settings.away_until
    not_before = max(now, away) if away is not None else now
    arranged = [
        n
        for n in new
        if (due == "keep" and _is_kept(n, stored, now)) or _arrange(n, wt, sent_days, not_before)
    ]
    arranged = [n for n in arranged if n.kind not in REMINDERS or n.at < n.due_at]
    kept_ids = {n.id for n in arranged}
    await uow.nudges.delete([n.id for n in planned if n.id not in kept_ids])
    for nudge in arranged:
        await uow.nudges.save(nudge)
    await _keep_sends(uow, member_id, planned, arranged, wt, sending)
    return arranged


def _plan_action(
    target: Nudgeable,
    stored: list[ActionNudge],
    wt: WorkingTime,
    settings: PersonSettings,
    now: datetime,
    due: Literal["keep", "move"],
) -> list[ActionNudge]:
    action = target.action
    mine = [n for n in stored if n.action_id == action.id and n.due_at == target.due_at]
    sent_kinds = {n.kind for n in mine if n.sent}
    snoozes = [n for n in mine if not n.sent and n.kind == NudgeKind.SNOOZED.value]
    snoozed_until = min((n.at for n in snoozes), default=None)
    waiting = [
        n
        for n in mine
        if not n.sent and n.kind != NudgeKind.SNOOZED.value and n.at <= now and due == "keep"
    ]
    if due == "move":  # due but unsent: they go as soon as they may, as they were
        waiting = [n for n in mine if not n.sent and n.kind != NudgeKind.SNOOZED.value]
        waiting = [n for n in waiting if n.at <= now]
    taken = sent_kinds | {n.kind for n in waiting}
    fresh = [
        ActionNudge(
            uuid.uuid4().hex,
            action.id,
            action.set_id,
            action.owner_id,
            n.kind.value,
            n.at,
            target.due_at,
        )
        for n in plan_nudges(
            action.created_at, target.due_at, now, wt, away_until=settings.away_until
        )
        if n.kind.value not in taken
    ]
    plan = waiting + fresh + snoozes
    if snoozed_until is not None:  # nothing about it before the snooze ends
        plan = [n for n in plan if n.kind == NudgeKind.SNOOZED.value or n.at > snoozed_until]
    return plan


def _is_kept(nudge: ActionNudge, stored: list[ActionNudge], now: datetime) -> bool:
    """A planned nudge already due, left as it is (its send is waiting for the sweep)."""
    return nudge.at <= now and any(s.id == nudge.id for s in stored)


def _arrange(
    nudge: ActionNudge, wt: WorkingTime, sent_days: set[date], not_before: datetime
) -> bool:
    """Move `nudge` into working time, no earlier than `not_before` and off days that had a
    nudge already. Always True (a filter that moves)."""
    at = wt.next_moment(max(nudge.at, not_before))
    while wt.working_day(at) in sent_days:
        at = wt.next_start(at)
    nudge.at = at
    return True


def daily_sends(plan: list[ActionNudge], wt: WorkingTime) -> dict[date, datetime]:
    """The first instant of each working day that has nudges."""
    firsts: dict[date, datetime] = {}
    for nudge in sorted(plan, key=lambda n: n.at):
        firsts.setdefault(wt.working_day(nudge.at), nudge.at)
    return firsts


async def _keep_sends(
    uow: UnitOfWork,
    member_id: str,
    old: list[ActionNudge],
    new: list[ActionNudge],
    wt: WorkingTime,
    sending: str | None,
) -> None:
    keys = {send_key(member_id, at): at for at in daily_sends(new, wt).values()}
    for key in {send_key(member_id, n.at) for n in old} - keys.keys() - {sending}:
        await uow.due_work.cancel(key)
    for key, at in keys.items():
        if key != sending:
            await uow.due_work.schedule(DueWork(KIND, key, at, user_id=member_id))

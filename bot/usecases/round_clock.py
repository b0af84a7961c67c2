"""A round's time: the due work that ends its phases, warns before a live phase ends,
and invites quiet members in an async round — and the one way a round changes.

Kinds of due work (all keyed by round id; none holds content):
- `round.phase_end` (live, *precise*: an in-memory timer backs the row, so a phase
  ends within a second or two of its time) and `round.window_end` (async: the sweep
  is soon enough for a window of hours) move the round to its next phase.
- `round.warning` (live, precise): "5 minutes left", "1 minute left", in the round's
  thread; dropped if found more than 30 s late.
- `round.invitation` (async questions phase): one private invitation per listener who
  has not asked a question yet, in their working hours, at least an hour before the
  window closes. Never a reproach: silence is allowed, and the words say so. A
  fishbowl's outer ring is not invited to ask (they write to the bot instead).

Phase ends and warnings are keyed by the round's `step`, so once the round changes
(next, pause, resume, extend, end) the work scheduled before is stale: `apply`
cancels it and arms the new, and a handler that still finds an old key does nothing.
A phase end run twice (delivery is at least once) re-sends its announcement instead
of moving the round again (`Round.advanced_by`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.duework import Drop, DueResult, DueWork, Send, WorkKind, work_key
from bot.errors import Conflict
from bot.messages import Direct, Inline, Mention, Message, Moment, Outcome, Outgoing, Public
from bot.model import LearningSet, MessageRole, Mode, Phase, Round, SetStatus
from bot.ports import UnitOfWork
from bot.usecases.fishbowl import show_again, show_held
from bot.usecases.meeting_agenda import after_round
from bot.usecases.round_prompts import TITLES, announce, round_key
from bot.working_moments import first_working_moment

PHASE_END = "round.phase_end"
WINDOW_END = "round.window_end"
WARNING = "round.warning"
INVITATION = "round.invitation"

WARN_AT = (5, 1)
"""Minutes before a live phase ends when the round's thread is told."""
INVITE_NOTICE = timedelta(hours=1)
"""An invitation comes at least this long before the questions window closes."""


def end_kind(round_: Round) -> str:
    return PHASE_END if round_.mode is Mode.LIVE else WINDOW_END


def phase_end_key(round_: Round) -> str:
    return round_.timer_key(end_kind(round_))


def warning_key(round_: Round, minutes: int) -> str:
    return round_.timer_key(WARNING, f"{minutes}m")


def invitation_key(round_id: str, user_id: str) -> str:
    return work_key(INVITATION, round_id, user_id)


async def listeners_of(uow: UnitOfWork, round_: Round) -> list[str]:
    """Members of the round's set who are not presenting (guests are not invited)."""
    members = await uow.memberships.list_active(round_.set_id)
    return [
        m.user_id for m in members if m.agreed_at is not None and m.user_id != round_.presenter_id
    ]


def timer_keys(round_: Round, listeners: list[str]) -> list[str]:
    """Every key of due work the round may have pending at its current step."""
    keys = [phase_end_key(round_), *(warning_key(round_, m) for m in WARN_AT)]
    return keys + [invitation_key(round_.id, u) for u in listeners]


async def apply(
    uow: UnitOfWork,
    round_: Round,
    learning_set: LearningSet,
    now: datetime,
    change: Callable[[Round], object],
    *,
    by_work: str | None = None,
) -> None:
    """Change the round, store it, and swap its due work for the new step's.

    The round is saved first: if a concurrent change got there first (`Conflict`),
    nothing else has been written. `by_work` is the key of the due work making the
    change, which is running and must not cancel itself."""
    listeners = await listeners_of(uow, round_)
    stale = timer_keys(round_, listeners)
    change(round_)
    await uow.rounds.save(round_)
    for key in stale:
        if key != by_work:
            await uow.due_work.cancel(key)
    await arm(uow, round_, learning_set, now, listeners)


async def arm(
    uow: UnitOfWork,
    round_: Round,
    learning_set: LearningSet,
    now: datetime,
    listeners: list[str] | None = None,
) -> None:
    """Schedule the due work of the round's running phase (none while paused or closed)."""
    if not round_.is_open or round_.deadline is None:
        return
    deadline = round_.deadline
    await uow.due_work.schedule(_work(end_kind(round_), phase_end_key(round_), deadline, round_))
    if round_.mode is Mode.LIVE:
        for minutes in WARN_AT:
            due = deadline - timedelta(minutes=minutes)
            if due > now:
                await uow.due_work.schedule(
                    _work(WARNING, warning_key(round_, minutes), due, round_)
                )
    elif round_.phase is Phase.QUESTIONS:
        invited = listeners if listeners is not None else await listeners_of(uow, round_)
        for user_id in (u for u in invited if not round_.in_outer_ring(u)):
            at = await invitation_time(uow, round_, learning_set, user_id, now)
            if at is not None:
                key = invitation_key(round_.id, user_id)
                await uow.due_work.schedule(_work(INVITATION, key, at, round_, user_id))


def _work(kind: str, key: str, due: datetime, round_: Round, user_id: str | None = None) -> DueWork:
    return DueWork(kind, key, due, set_id=round_.set_id, user_id=user_id, subject_id=round_.id)


async def invitation_time(
    uow: UnitOfWork, round_: Round, learning_set: LearningSet, user_id: str, now: datetime
) -> datetime | None:
    """In the listener's working hours, from halfway through the window — or, if they
    work no more before it closes, from an hour into it (an invitation as the window
    opens would only repeat its announcement) — and `INVITE_NOTICE` before it closes."""
    if round_.deadline is None or round_.phase_started_at is None:
        return None
    person = await uow.people.get(user_id)
    tz = person.zone(learning_set.tz) if person else learning_set.tz
    settings = await uow.person_settings.get(user_id)
    hours, days = (settings.hours, settings.days) if settings else (None, None)
    start, latest = round_.phase_started_at, round_.deadline - INVITE_NOTICE
    for earliest in (start + (round_.deadline - start) / 2, start + INVITE_NOTICE):
        at = first_working_moment(max(now, earliest), latest, tz=tz, hours=hours, days=days)
        if at is not None:
            return at
    return None


# --- due work handlers ----------------------------------------------------------------------


async def _round_of(item: DueWork, uow: UnitOfWork) -> tuple[Round, LearningSet] | str:
    """The item's round and its set, or why there is nothing to do."""
    round_ = await uow.rounds.get(item.subject_id or "")
    if round_ is None:
        return "round no longer exists"
    learning_set = await uow.sets.get(round_.set_id)
    if learning_set is None:
        return "set no longer exists"
    if learning_set.status is SetStatus.CLOSED:
        return "set closed"
    return round_, learning_set


async def end_phase(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    found = await _round_of(item, uow)
    if isinstance(found, str):
        return Drop(found)
    round_, learning_set = found
    if round_.advanced_by == item.key:  # run again after a failed send: say it again
        again = await show_again(uow, round_, learning_set.place_id)
        return Send(announce(round_, learning_set.place_id, now) + again)
    if not round_.is_open or item.key != phase_end_key(round_):
        return Drop("stale: the round has moved on")
    ended = round_.phase
    try:
        await apply(
            uow,
            round_,
            learning_set,
            now,
            lambda r: r.next(now, by_work=item.key),
            by_work=item.key,
        )
    except Conflict:
        return Drop("stale: the round changed at the same moment")
    why: tuple[Inline, ...] = (f"Time is up for {TITLES[ended].lower()}. ",)
    outcome = announce(round_, learning_set.place_id, now, why=why)
    outcome += await show_held(uow, round_, learning_set.place_id, now)
    if not round_.is_open:
        outcome += await after_round(uow, round_.meeting_id, learning_set.place_id)
    return Send(outcome)


async def warn(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    found = await _round_of(item, uow)
    if isinstance(found, str):
        return Drop(found)
    round_, learning_set = found
    minutes = next((m for m in WARN_AT if round_.is_open and item.key == warning_key(round_, m)), 0)
    if not minutes or round_.deadline is None:
        return Drop("stale: the round has moved on")
    left = "1 minute" if minutes == 1 else f"{minutes} minutes"
    text = Message.text(
        f"{left} left for {TITLES[round_.phase].lower()} (until ",
        Moment(round_.deadline, "time"),
        ").",
    )
    to = Public(learning_set.place_id, thread_of=round_key(round_))
    return Send(Outcome((Outgoing(to, text),)))


async def invite(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    found = await _round_of(item, uow)
    if isinstance(found, str):
        return Drop(found)
    round_, learning_set = found
    user_id = item.user_id or ""
    if round_.phase is not Phase.QUESTIONS or round_.deadline is None or now >= round_.deadline:
        return Drop("the questions window is not open")
    why_not = await _not_to_invite(uow, round_, user_id, now)
    if why_not:
        return Drop(why_not)
    text = Message.text(
        f"In “{learning_set.name}”, the set is asking ",
        Mention(round_.presenter_id),
        " questions until ",
        Moment(round_.deadline),
        ". If a question has come to you, there is still time to ask it in the round's "
        "thread. If not, that is fine too: silence gives room to think.",
    )
    return Send(Outcome((Outgoing(Direct(user_id), text),)))


async def _not_to_invite(uow: UnitOfWork, round_: Round, user_id: str, now: datetime) -> str:
    membership = await uow.memberships.get(round_.set_id, user_id)
    if membership is None or not membership.active:
        return "no longer a member"
    settings = await uow.person_settings.get(user_id)
    if settings is not None and not settings.nudges:
        return "nudges off"
    if settings is not None and settings.away_until and settings.away_until > now:
        return "away"
    asked = [
        m
        for m in await uow.round_messages.of_round(round_.id)
        if m.author_id == user_id and m.role is MessageRole.QUESTION
    ]
    return "has asked already" if asked else ""


PHASE_END_KIND = WorkKind(PHASE_END, end_phase, precise=True)
WINDOW_END_KIND = WorkKind(WINDOW_END, end_phase)
WARNING_KIND = WorkKind(WARNING, warn, stale_after=timedelta(seconds=30), precise=True)
INVITATION_KIND = WorkKind(INVITATION, invite)
WORK_KINDS = (PHASE_END_KIND, WINDOW_END_KIND, WARNING_KIND, INVITATION_KIND)

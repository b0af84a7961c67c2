"""Meetings and rounds: the `meeting` and `round` verbs, and steering a round.

Only facilitators steer (start, next, pause, resume, extend, end); anyone in the set,
guests of the meeting included, may ask `round status`. One round at a time per set.
A round's changes go through `round_clock.apply`, which also swaps its due work.

In a set working on one shared challenge (`options format shared`), `round start`
without a presenter rotates the lead to the member who has led least recently
(`bot.model.next_lead`), and the round's first post shows the shared challenge.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from bot import commands as c
from bot.errors import Conflict, GrammarError, NotFound
from bot.messages import Inline, Mention, Message, Outcome
from bot.model import HeldMeeting, LearningSet, Mode, Role, Round, next_lead
from bot.model.rounds import async_lengths, live_lengths
from bot.parsing.rounds import parse_meeting, parse_round
from bot.permissions import F, G, M, change, read
from bot.ports import UnitOfWork
from bot.usecases.fishbowl import show_held
from bot.usecases.meeting_agenda import after_round, next_presenter
from bot.usecases.meeting_flow import end_meeting, open_meeting, start_meeting
from bot.usecases.replies import options_of, private
from bot.usecases.round_clock import apply, arm
from bot.usecases.round_prompts import TITLES, announce, first_post, round_card, span
from bot.verbs import Route, Turn, Usage, Verb

LIMITS = {
    Mode.LIVE: (timedelta(minutes=5), timedelta(hours=4), "round start @amara live 45m"),
    Mode.ASYNC: (timedelta(hours=1), timedelta(days=30), "round start @amara async 3d"),
}


async def start_round(cmd: c.RoundStart, turn: Turn) -> Outcome:
    uow, now, learning_set = turn.uow, turn.now, turn.access.learning_set
    if await uow.rounds.open_in(learning_set.id) is not None:
        raise Conflict(
            "A round is already running in this set: one at a time. "
            "`round status` shows it; `round end` ends it.",
            example="round status",
        )
    mode = Mode(cmd.mode or "live")
    lengths = await _lengths(turn, learning_set, mode, cmd.length)
    opening = Outcome()
    meeting = await uow.held_meetings.open_in(learning_set.id)
    if meeting is None:
        meeting, opening = await open_meeting(uow, learning_set, now, by=turn.ctx.actor.user_id)
    options = await options_of(uow, learning_set.id)
    shared = options.format == "shared"
    presenter = cmd.presenter or await _next_up(uow, meeting, shared)
    if presenter is None:
        raise NotFound("No one is next on the agenda: name the presenter.", example=LIMITS[mode][2])
    membership = await uow.memberships.get(learning_set.id, presenter)
    if membership is None or not membership.active or membership.agreed_at is None:
        raise NotFound(
            "The presenter must be a member of this set who has accepted its agreement.",
            example="members",
        )
    round_ = Round.start(
        uuid.uuid4().hex,
        set_id=learning_set.id,
        meeting_id=meeting.id,
        presenter_id=presenter,
        mode=mode,
        lengths=lengths,
        now=now,
        by=turn.ctx.actor.user_id,
        shared=shared,
        inner=await _inner_set(uow, learning_set.id, options.fishbowl),
    )
    await uow.rounds.add(round_)
    await arm(uow, round_, learning_set, now)
    challenge = await shared_challenge(uow, learning_set.id) if shared else None
    return opening + first_post(round_, learning_set.place_id, now, challenge=challenge)


async def _inner_set(uow: UnitOfWork, set_id: str, named: tuple[str, ...]) -> tuple[str, ...]:
    """The fishbowl's inner set for a round starting now: those named who are still in
    the set (none: no fishbowl)."""
    active = {m.user_id for m in await uow.memberships.list_active(set_id)}
    return tuple(u for u in named if u in active)


async def _next_up(uow: UnitOfWork, meeting: HeldMeeting, shared: bool) -> str | None:
    """Who presents when no one is named: the next lead on a shared challenge, else the
    next on the agenda from the bids."""
    return await next_lead_of(uow, meeting.set_id) if shared else await next_presenter(uow, meeting)


async def next_lead_of(uow: UnitOfWork, set_id: str) -> str | None:
    """The member (active, agreed) who has led a round least recently. Facilitators hold
    the set rather than lead its challenge, so they take a turn only when named (or when
    the set has no one else)."""
    agreed = [m for m in await uow.memberships.list_active(set_id) if m.agreed_at]
    members = [m.user_id for m in agreed if m.role is Role.MEMBER] or [m.user_id for m in agreed]
    return next_lead(members, await uow.rounds.last_presented(set_id))


async def shared_challenge(uow: UnitOfWork, set_id: str) -> str:
    """The set's shared challenge as last written ("" if not yet)."""
    history = await uow.statements.history(set_id, None, "challenge")
    return history[-1].text if history else ""


async def _lengths(
    turn: Turn, learning_set: LearningSet, mode: Mode, length: timedelta | None
) -> tuple[timedelta, timedelta, timedelta, timedelta, timedelta]:
    low, high, example = LIMITS[mode]
    if length is not None and not low <= length <= high:
        raise GrammarError(
            f"{'A live' if mode is Mode.LIVE else 'An async'} round lasts from {span(low)} "
            f"to {span(high)}.",
            example=example,
        )
    if mode is Mode.ASYNC:
        return async_lengths(length)
    options = await options_of(turn.uow, learning_set.id)
    return live_lengths(options.live, length)


async def _running(turn: Turn) -> Round:
    round_ = await turn.uow.rounds.open_in(turn.access.learning_set.id)
    if round_ is None:
        raise NotFound(
            "No round is running. A facilitator starts one with `round start @name`.",
            example="round start @amara live 45m",
        )
    return round_


async def steer_round(cmd: c.RoundSteer, turn: Turn) -> Outcome:
    round_ = await _running(turn)
    now, who = turn.now, Mention(turn.ctx.actor.user_id)
    was = TITLES[round_.phase].lower()
    if cmd.action == "next":
        why: tuple[Inline, ...] = (who, f" moved the round on from {was}. ")
        return await _change(turn, round_, lambda r: r.next(now), why)
    if cmd.action == "pause":
        return await _change(turn, round_, lambda r: r.pause(now), (who, " paused the round. "))
    if cmd.action == "resume":
        return await _change(turn, round_, lambda r: r.resume(now), (who, " resumed the round. "))
    return await _change(turn, round_, lambda r: r.close(now), (who, " ended the round. "))


async def extend_round(cmd: c.RoundExtend, turn: Turn) -> Outcome:
    round_ = await _running(turn)
    why = (
        Mention(turn.ctx.actor.user_id),
        f" gave {TITLES[round_.phase].lower()} {span(cmd.by)} more. ",
    )
    return await _change(turn, round_, lambda r: r.extend(cmd.by, turn.now), why)


async def _change(
    turn: Turn, round_: Round, change: Callable[[Round], object], why: tuple[Inline, ...]
) -> Outcome:
    learning_set = turn.access.learning_set
    await apply(turn.uow, round_, learning_set, turn.now, change)
    outcome = announce(round_, learning_set.place_id, turn.now, why=why)
    outcome += await show_held(turn.uow, round_, learning_set.place_id, turn.now)
    if not round_.is_open:
        outcome += await after_round(turn.uow, round_.meeting_id, learning_set.place_id)
    return outcome


async def round_status(cmd: c.RoundStatus, turn: Turn) -> Outcome:
    round_ = await turn.uow.rounds.open_in(turn.access.learning_set.id)
    if round_ is None:
        set_id = turn.access.learning_set.id
        meeting = await turn.uow.held_meetings.open_in(set_id)
        shared = (await options_of(turn.uow, set_id)).format == "shared"
        following = await _next_up(turn.uow, meeting, shared) if meeting else None
        parts: tuple[Inline, ...] = ("No round is running.",)
        if following is not None:
            up = " Next to lead: " if shared else " Next on the agenda: "
            parts += (up, Mention(following), ".")
        return private(turn.ctx, Message.text(*parts))
    return private(turn.ctx, round_card(round_, turn.now))


VERBS = (
    Verb(
        "meeting",
        parse_meeting,
        Usage(
            "meeting start | end",
            "open (check-in, report-back, agenda) or close (process review) a meeting",
            "meeting start",
        ),
        (
            Route(c.MeetingStart, change(F), start_meeting),
            Route(c.MeetingEnd, change(F), end_meeting),
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
            (
                "A round runs present → questions → reflect → commit → resonance. Live rounds "
                "keep time in minutes (the set's `options live P/Q/R/C/S`, scaled to the length "
                "you give); async rounds give each phase a window of hours or days.",
                "Without a presenter, the next on the meeting's agenda presents. Outside a "
                "meeting, `round start` opens one.",
                "In a set working on one shared challenge (`options format shared`), the lead "
                "rotates: without a presenter, the member who has led least recently leads, "
                "presents the challenge's current state, and everyone else questions.",
                "Questions are asked in the round's thread. Pausing stops the clock; resuming "
                "gives back the time that was left.",
            ),
        ),
        (
            Route(c.RoundStart, change(F), start_round),
            Route(c.RoundSteer, change(F), steer_round),
            Route(c.RoundExtend, change(F), extend_round),
            Route(c.RoundStatus, read(F, M, G), round_status),
        ),
    ),
)

"""Opening and closing a meeting as it is held.

`meeting start` (or a `round start` outside a meeting) opens one: a check-in, the
report-back on last time's actions, and the agenda from the airtime bids. `meeting
end` closes it (and any round still running) with the process review, and shows the
set its own meeting in counts — never anyone's words, never one person's numbers.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta

from bot.coach import Kind, classify
from bot.commands import MeetingEnd, MeetingStart
from bot.duework import Drop, DueResult, DueWork, Send, WorkKind
from bot.errors import Conflict, NotFound
from bot.messages import Inline, Mention, Message, Moment, Outcome, Outgoing, Public, Section, Text
from bot.model import HeldMeeting, LearningSet, MessageRole, RoundMessage, SetStatus, tally
from bot.ports import UnitOfWork
from bot.usecases.action_hooks import due_at_meeting, report_back_section
from bot.usecases.learning_log import reflection_prompts
from bot.usecases.meeting_agenda import agenda_for, agenda_section, planned_meeting_near
from bot.usecases.meeting_reminder import OPEN_KIND, cancel_meeting_reminders
from bot.usecases.replies import options_of
from bot.usecases.report_back import report_back_prompts
from bot.usecases.round_clock import apply
from bot.usecases.round_prompts import announce
from bot.verbs import Turn

CHECK_IN = (
    "Check-in: how are you arriving today? Then report back on what you committed to "
    "last time: what you did, what happened, what you learned. For anything you did not "
    "do, what held you back? That is learning too."
)
PROCESS_REVIEW = (
    "Process review, before we part: How did we work together today? Whose voice was "
    "heard, and whose was not? What went unsaid? What will we do differently next time?"
)
FEW = 3
"""Counts of people below this are not shown: they could point at someone."""


async def open_meeting(
    uow: UnitOfWork, learning_set: LearningSet, now: datetime, *, by: str
) -> tuple[HeldMeeting, Outcome]:
    """Open a meeting (the caller has checked none is open) and say so in the set's place.

    `by` is who opened it ("" when its planned time did)."""
    planned = await planned_meeting_near(uow, learning_set.id, now)
    items = await agenda_for(uow, learning_set.id, planned)
    meeting = HeldMeeting(
        uuid.uuid4().hex,
        learning_set.id,
        now,
        by,
        planned.id if planned else None,
        tuple(i.user_id for i in items),
    )
    await uow.held_meetings.add(meeting)
    if planned is not None:
        await cancel_meeting_reminders(uow, [planned])  # it is under way: no reminder now
    options = await options_of(uow, learning_set.id)
    opened: tuple[Inline, ...] = (
        (Mention(by), " opened the meeting.") if by else ("The meeting is open.",)
    )
    blocks = [Section(Text.of(*opened))]
    if options.checkin != "off":
        blocks.append(Section(Text.of(CHECK_IN)))
    to_report = await due_at_meeting(uow, learning_set, meeting)
    blocks += report_back_section(to_report)
    blocks.append(agenda_section(items))
    blocks.append(
        Section(
            Text.of(
                "When you are ready: `round start` (next on the agenda) or `round start @name`."
            )
        )
    )
    prompts = await report_back_prompts(uow, learning_set, meeting, to_report)
    return meeting, _public(learning_set, Message(tuple(blocks))) + prompts


OPEN_STALE_AFTER = timedelta(hours=2)
"""An opening found later than this (long downtime) is dropped: the moment has passed."""


async def open_planned_meeting(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    """At a planned meeting's start the meeting opens by itself (check-in, report-back,
    agenda), unless a facilitator has opened one already."""
    if item.set_id is None or item.subject_id is None:
        return Drop("malformed: needs set_id and subject_id")
    learning_set = await uow.sets.get(item.set_id)
    if learning_set is None or learning_set.status is SetStatus.CLOSED:
        return Drop("set closed or gone")
    planned = await uow.meetings.get(item.subject_id)
    if planned is None or planned.cancelled_at is not None:
        return Drop("meeting cancelled")
    if await uow.held_meetings.open_in(learning_set.id) is not None:
        return Drop("a meeting is already open")
    _, outcome = await open_meeting(uow, learning_set, now, by="")
    return Send(outcome)


WORK_KIND = WorkKind(OPEN_KIND, open_planned_meeting, stale_after=OPEN_STALE_AFTER)


async def start_meeting(cmd: MeetingStart, turn: Turn) -> Outcome:
    learning_set = turn.access.learning_set
    already = await turn.uow.held_meetings.open_in(learning_set.id)
    if already is not None:
        raise Conflict(
            "A meeting is already open; `meeting end` closes it with a process review.",
            example="meeting end",
        )
    _, outcome = await open_meeting(turn.uow, learning_set, turn.now, by=turn.ctx.actor.user_id)
    return outcome


async def end_meeting(cmd: MeetingEnd, turn: Turn) -> Outcome:
    uow, now, learning_set = turn.uow, turn.now, turn.access.learning_set
    meeting = await uow.held_meetings.open_in(learning_set.id)
    if meeting is None:
        raise NotFound("No meeting is open; `meeting start` opens one.", example="meeting start")
    outcome = Outcome()
    running = await uow.rounds.open_in(learning_set.id)
    if running is not None:
        await apply(uow, running, learning_set, now, lambda r: r.close(now))
        why = ("The round ends with the meeting. ",)
        outcome += announce(running, learning_set.place_id, now, why=why)
    meeting.closed_at = now
    await uow.held_meetings.save(meeting)
    blocks = [
        Section(
            Text.of(
                Mention(turn.ctx.actor.user_id),
                " closed the meeting that opened on ",
                Moment(meeting.opened_at),
                ".",
            )
        ),
        Section(Text.of(PROCESS_REVIEW)),
        Section(Text.of(await meeting_in_numbers(uow, meeting))),
    ]
    prompts = await reflection_prompts(uow, learning_set, meeting)
    return outcome + _public(learning_set, Message(tuple(blocks))) + prompts


async def meeting_in_numbers(uow: UnitOfWork, meeting: HeldMeeting) -> str:
    """The meeting's question mix, in counts for the whole set (never anyone's words): how
    many rounds, questions and answers, how many people asked, and the questions by the
    coach's reading (open, closed, leading, advice, other)."""
    rounds = await uow.rounds.of_meeting(meeting.id)
    if not rounds:
        return "This meeting held no rounds."
    messages = [m for r in rounds for m in await uow.round_messages.of_round(r.id)]
    parts = tally(messages)
    questions = sum(p.questions for p in parts)
    answers = sum(p.answers for p in parts)
    askers = len({p.user_id for p in parts if p.questions})
    line = (
        f"This meeting in counts (never anyone's words): {_n(len(rounds), 'round')}, "
        f"{_n(questions, 'question')} asked, {_n(answers, 'answer')} from presenters"
    )
    if askers >= FEW:
        line += f"; questions came from {askers} people"
    mix = await question_mix(uow, [m for m in messages if m.role is MessageRole.QUESTION])
    return line + "." + (f" The questions read as: {mix}." if mix else "")


async def question_mix(uow: UnitOfWork, questions: list[RoundMessage]) -> str:
    """How the coach reads the meeting's questions, kind by kind (counts only; the texts
    are read here and go nowhere)."""
    kinds: Counter[Kind] = Counter()
    for message in questions:
        found = await uow.contributions.get(message.place_id, message.message_id)
        if found is not None:
            kinds[classify(found.text)] += 1
    return ", ".join(f"{kinds[kind]} {kind.value}" for kind in Kind if kinds[kind])


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _public(learning_set: LearningSet, message: Message) -> Outcome:
    return Outcome((Outgoing(Public(learning_set.place_id), message),))

"""A reminder in the set's channel one hour before each planned meeting.

Rules:
- Planning meetings (`schedule …`, one-off or series) queues one reminder per new
  meeting in the same transaction, due exactly `REMIND_BEFORE` before the
  meeting's UTC start (so a series keeps it an hour before its local wall time
  across daylight-saving changes). The key is the meeting id: planning the same
  meeting again queues nothing new.
- A meeting planned an hour or less ahead gets no reminder: the announcement of
  the plan, posted in the channel as it is made, is the notice, and a second
  message moments later would only be noise.
- `schedule cancel N` cancels that meeting's reminder; `close` cancels the
  reminders of all the set's future meetings. The handler checks again when the
  work comes due, so a cancelled meeting, a closed or vanished set, or a meeting
  already under way (a reminder found late, e.g. after downtime) is dropped with
  a reason instead of sent.
- The message holds no set content: the moment (each reader sees it in their own
  zone), how long until it, and how many airtime bids are in so far — a count
  shown only in the set's own channel, to the people who bid.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.duework import Drop, DueResult, DueWork, Send, WorkKind, work_key
from bot.messages import Message, Moment, Outcome, Outgoing, Public
from bot.model import Meeting, SetStatus
from bot.ports import UnitOfWork

KIND = "meeting.reminder"
REMIND_BEFORE = timedelta(hours=1)
STALE_AFTER = REMIND_BEFORE
"""Lateness measured from the due instant; the handler also drops any reminder
found once its meeting has started (the due instant of a reminder is an hour
before the start, so the two agree)."""


def meeting_reminder(meeting: Meeting) -> DueWork:
    """The reminder for `meeting` (ids and the due instant only)."""
    return DueWork(
        kind=KIND,
        key=work_key(KIND, meeting.id),
        due_at=meeting.starts_at - REMIND_BEFORE,
        set_id=meeting.set_id,
        subject_id=meeting.id,
    )


OPEN_KIND = "meeting.open"


def meeting_opening(meeting: Meeting) -> DueWork:
    """The opening of `meeting` at its planned start (handled in `meeting_flow`)."""
    return DueWork(
        kind=OPEN_KIND,
        key=work_key(OPEN_KIND, meeting.id),
        due_at=meeting.starts_at,
        set_id=meeting.set_id,
        subject_id=meeting.id,
    )


async def queue_meeting_reminders(uow: UnitOfWork, meetings: list[Meeting], now: datetime) -> None:
    """Queue a reminder for each meeting still more than `REMIND_BEFORE` away, and the
    opening of each at its start."""
    for meeting in meetings:
        item = meeting_reminder(meeting)
        if item.due_at > now:
            await uow.due_work.schedule(item)
        if meeting.starts_at > now:
            await uow.due_work.schedule(meeting_opening(meeting))


async def cancel_meeting_reminders(uow: UnitOfWork, meetings: list[Meeting]) -> None:
    for meeting in meetings:
        await uow.due_work.cancel(meeting_reminder(meeting).key)


async def cancel_planned_meetings(uow: UnitOfWork, meetings: list[Meeting]) -> None:
    """A cancelled meeting (or a closed set's) is neither reminded of nor opened."""
    await cancel_meeting_reminders(uow, meetings)
    for meeting in meetings:
        await uow.due_work.cancel(meeting_opening(meeting).key)


async def remind_of_meeting(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    if item.set_id is None or item.subject_id is None:
        return Drop("malformed: needs set_id and subject_id")
    learning_set = await uow.sets.get(item.set_id)
    if learning_set is None:
        return Drop("set no longer exists")
    if learning_set.status is SetStatus.CLOSED:
        return Drop("set closed")
    meeting = await uow.meetings.get(item.subject_id)
    if meeting is None or meeting.set_id != learning_set.id:
        return Drop("meeting no longer exists")
    if meeting.cancelled_at is not None:
        return Drop("meeting cancelled")
    if now >= meeting.starts_at:
        return Drop("stale: the meeting has started")
    bids = len(await uow.bids.for_meeting(meeting.id))
    tail = f", in {_until(meeting.starts_at - now)}."
    if bids:
        tail += f" {_bids(bids)} for airtime so far."
    message = Message.text("The set meets at ", Moment(meeting.starts_at), tail)
    return Send(Outcome((Outgoing(Public(learning_set.place_id), message),)))


def _until(left: timedelta) -> str:
    """ "1 hour" when on time; fewer minutes when delivered late (rounded, at least 1)."""
    minutes = max(1, round(left.total_seconds() / 60))
    if minutes >= 60:
        return "1 hour"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _bids(count: int) -> str:
    return "1 bid" if count == 1 else f"{count} bids"


WORK_KIND = WorkKind(KIND, remind_of_meeting, stale_after=STALE_AFTER)

"""Planning meetings (one-off and series), listing them in each reader's time, bids.

Meetings are stored as rows with aware-UTC start times; the rules for local times
that are skipped or repeated by daylight-saving changes are in `bot.schedules`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.commands import Bid, CancelMeeting, ListSchedule, ScheduleOnce, ScheduleSeries
from bot.errors import Conflict, GrammarError, NotFound
from bot.messages import Inline, Mention, Message, Moment, Outcome, Section, Text
from bot.model import AirtimeBid, LearningSet, Meeting
from bot.parsing.dates import resolve_date
from bot.parsing.schedule import parse_bid, parse_schedule
from bot.parsing.words import WEEKDAYS
from bot.permissions import F, G, M, Standing, change, read
from bot.plain import format_moment
from bot.ports import UnitOfWork
from bot.schedules import Occurrence, local_to_utc, series
from bot.usecases.meeting_reminder import (
    cancel_planned_meetings,
    queue_meeting_reminders,
)
from bot.usecases.replies import private, public, speaker_zone
from bot.verbs import Route, Turn, Usage, Verb


async def list_schedule(cmd: ListSchedule, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    zone = await speaker_zone(uow, ctx, learning_set)
    meetings = await uow.meetings.upcoming(learning_set.id, now)
    standing = turn.access.standing
    if standing is Standing.GUEST:  # a guest sees their meeting, nothing else of the set
        invited = {
            g.meeting_id for g in await uow.guests.of_user(learning_set.id, ctx.actor.user_id)
        }
        meetings = [m for m in meetings if m.id in invited]
    if not meetings:
        return private(
            ctx,
            Message.text(
                "No meetings are planned.",
                " A facilitator can plan them with `schedule every 2 weeks on Tuesday at 14:00`.",
            ),
        )
    header = Text.of(f"Meetings of “{learning_set.name}” (your time zone: {zone}):")
    fields = tuple(
        # Private list: the core knows the reader's zone (settings first), so it renders
        # the time itself rather than trusting the device zone a platform token would use.
        (str(n), Text.of(format_moment(m.starts_at, "datetime", zone)))
        for n, m in enumerate(meetings, start=1)
    )
    blocks = [Section(header, fields)]
    if standing is not Standing.GUEST:
        blocks += await _bid_sections(uow, meetings[0])
    return private(ctx, Message(tuple(blocks)))


async def _bid_sections(uow: UnitOfWork, meeting: Meeting) -> list[Section]:
    bids = await uow.bids.for_meeting(meeting.id)
    if not bids:
        return []
    fields = tuple(
        (
            f"bid {n}",
            Text.of(
                Mention(b.user_id),
                f" — {b.minutes} min" if b.minutes else "",
                f": {b.note}" if b.note else "",
            ),
        )
        for n, b in enumerate(bids, start=1)
    )
    return [Section(Text.of("Bids for airtime at the next meeting:"), fields)]


async def schedule_once(cmd: ScheduleOnce, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    zone = cmd.tz or learning_set.tz
    speaker_tz = await speaker_zone(uow, ctx, learning_set)
    day = resolve_date(cmd.day, tz=speaker_tz, now=now, example="schedule 10 Dec 14:00")
    occurrence = local_to_utc(day, cmd.at, zone)
    if occurrence.starts_at <= now:
        raise GrammarError(
            f"{day:%d %b %Y} {cmd.at:%H:%M} ({zone}) has already passed; pick a later time.",
            example="schedule next Tuesday 14:00",
        )
    added = await _add_meetings(uow, learning_set, [occurrence], now, series_id=None)
    if not added:
        raise Conflict("A meeting is already planned at that time.", example="schedule")
    text = Text.of(
        Mention(ctx.actor.user_id), " planned a meeting on ", Moment(occurrence.starts_at), "."
    )
    return public(ctx, _with_notes(text, [occurrence]))


async def schedule_series(cmd: ScheduleSeries, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    zone = cmd.tz or learning_set.tz
    occurrences = series(
        now=now,
        every_weeks=cmd.every_weeks,
        weekday=cmd.weekday,
        at=cmd.at,
        tz=zone,
        count=cmd.count,
    )
    added = await _add_meetings(uow, learning_set, occurrences, now, series_id=uuid.uuid4().hex)
    if not added:
        raise Conflict("Those meetings are already planned.", example="schedule")
    every = "week" if cmd.every_weeks == 1 else f"{cmd.every_weeks} weeks"
    day = WEEKDAYS[cmd.weekday].capitalize()
    text = Text.of(
        Mention(ctx.actor.user_id),
        f" planned {len(added)} meetings, every {every} on {day} at {cmd.at:%H:%M} ({zone}): from ",
        Moment(added[0].starts_at),
        " to ",
        Moment(added[-1].starts_at),
        ". `schedule` lists them in your time.",
    )
    planned = {m.starts_at for m in added}  # a note about a meeting already planned misleads
    return public(ctx, _with_notes(text, [o for o in occurrences if o.starts_at in planned]))


async def _add_meetings(
    uow: UnitOfWork,
    learning_set: LearningSet,
    occurrences: list[Occurrence],
    now: datetime,
    *,
    series_id: str | None,
) -> list[Meeting]:
    taken = {m.starts_at for m in await uow.meetings.upcoming(learning_set.id, now)}
    added: list[Meeting] = []
    for occurrence in occurrences:
        if occurrence.starts_at in taken:
            continue
        meeting = Meeting(uuid.uuid4().hex, learning_set.id, occurrence.starts_at, now, series_id)
        await uow.meetings.add(meeting)
        added.append(meeting)
    await queue_meeting_reminders(uow, added, now)
    return added


def _with_notes(text: Text, occurrences: list[Occurrence]) -> Message:
    notes = [Section(Text.of(o.note)) for o in occurrences if o.note]
    return Message((Section(text), *notes))


async def cancel_meeting(cmd: CancelMeeting, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    upcoming = await uow.meetings.upcoming(learning_set.id, now)
    if cmd.number > len(upcoming):
        raise NotFound(
            f"There is no meeting {cmd.number}: `schedule` lists {len(upcoming)}.",
            example="schedule",
        )
    meeting = upcoming[cmd.number - 1]
    meeting.cancelled_at = now
    await uow.meetings.save(meeting)
    await cancel_planned_meetings(uow, [meeting])
    parts: tuple[Inline, ...] = ("The meeting on ", Moment(meeting.starts_at), " is cancelled.")
    return public(ctx, Message.text(*parts))


async def place_bid(cmd: Bid, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    upcoming = await uow.meetings.upcoming(learning_set.id, now)
    if not upcoming:
        raise Conflict(
            "No meeting is planned yet, so there is nothing to bid for.", example="schedule"
        )
    meeting = upcoming[0]
    await uow.bids.save(
        AirtimeBid(learning_set.id, meeting.id, ctx.actor.user_id, now, cmd.minutes, cmd.note)
    )
    asked = f" for {cmd.minutes} minutes" if cmd.minutes else ""
    return private(
        ctx,
        Message.text(f"Your bid{asked} for the meeting on ", Moment(meeting.starts_at), " is in."),
    ) + public(ctx, Message.text(Mention(ctx.actor.user_id), f" bid for airtime{asked}."))


SCHEDULE_RULES = (
    "Times are wall-clock times in the set's time zone (or the zone you name) and stay "
    "there across daylight-saving changes: a fortnightly 14:00 meeting is at 14:00 local "
    "in summer and in winter.",
    "A local time that does not exist (the hour skipped when clocks go forward) moves "
    "forward by the gap: 01:30 on that night becomes 02:30.",
    "A local time that happens twice (the hour repeated when clocks go back) means the "
    "first of the two.",
    "A series without `for N meetings` is planned for 12 meetings or 6 months, whichever "
    "comes first; at most 26 meetings at once.",
    "An hour before each meeting the bot posts a reminder here, with the number of airtime "
    "bids so far (a meeting planned less than an hour ahead gets none).",
)


VERBS = (
    Verb(
        "schedule",
        parse_schedule,
        Usage(
            "schedule · schedule every N weeks on DAY at HH:MM [TZ] [for N meetings] · "
            "schedule DATE HH:MM [TZ] · schedule cancel N",
            "list meetings in your time; plan meetings (facilitator)",
            "schedule every 2 weeks on Tuesday at 14:00 Europe/London for 8 meetings",
            SCHEDULE_RULES,
        ),
        (
            Route(ListSchedule, read(F, M, G), list_schedule),
            Route(ScheduleOnce, change(F), schedule_once),
            Route(ScheduleSeries, change(F), schedule_series),
            Route(CancelMeeting, change(F), cancel_meeting),
        ),
    ),
    Verb(
        "bid",
        parse_bid,
        Usage(
            "bid [Nm] [note]", "bid for airtime at the next meeting", "bid 20m the rota stalemate"
        ),
        (Route(Bid, change(F, M), place_bid),),
    ),
)

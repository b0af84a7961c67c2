"""The weekly check-in (`options checkin DAY`): two private questions to each member on
that morning, in their own time zone and working hours, answered in the 1:1 chat and
kept in their learning log.

Each member has one piece of due work per week (`checkin.weekly:SET:USER:DATE`, DATE
the check-in day on their own calendar), due at the start of their first shift on or
after that day. When it comes due it plans the next week's before anything else, so
the chain keeps itself going; it ends when it finds the check-in off or on another
day, the set closed, or the person no longer a member (the option and `agree` plan it
again). Found more than `LATE` after its time (downtime), or while the member is away,
it sends nothing that week. The row holds ids and a time, never the questions' answers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.duework import Drop, DueResult, DueWork, Send, WorkKind, work_key
from bot.messages import Direct, Message, Outcome, Outgoing, Section, Text
from bot.model import EntryKind, LearningSet, Membership, Role, SetStatus
from bot.parsing.personal import parse_checkin
from bot.permissions import PERSONAL
from bot.ports import UnitOfWork
from bot.usecases.learning_log import KEPT, keep_entry
from bot.usecases.replies import options_of, private
from bot.verbs import Route, Turn, Usage, Verb
from bot.working_moments import next_shift_start

KIND = "checkin.weekly"
LATE = timedelta(hours=12)
"""Found later than this after its moment, this week's check-in is skipped, not sent late."""

QUESTIONS = (
    "1. What clear steps did you take last week on your goal and actions?",
    "2. What will you focus on next week?",
)
HOW_TO_ANSWER = (
    "Answer here, in your own words: `checkin steps YOUR ANSWER` and "
    "`checkin next YOUR ANSWER`. Your answers go into your private learning log "
    "(only you read it; `log export` sends it to you)."
)


# --- when --------------------------------------------------------------------------------


def checkin_moment(
    day: date, *, tz: str, hours: tuple[time, time] | None, days: tuple[int, ...] | None
) -> datetime:
    """The start of the member's first shift on or after `day` (their morning then)."""
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))
    return next_shift_start(midnight - timedelta(microseconds=1), tz=tz, hours=hours, days=days)


async def next_checkin(
    uow: UnitOfWork,
    learning_set: LearningSet,
    user_id: str,
    weekday: int,
    after: datetime,
    after_day: date | None = None,
) -> DueWork:
    """The member's first check-in whose moment is later than `after` (and whose day is
    later than `after_day`: the week a running check-in was planned for is over)."""
    person = await uow.people.get(user_id)
    tz = person.zone(learning_set.tz) if person else learning_set.tz
    mine = await uow.person_settings.get(user_id)
    hours, days = (mine.hours, mine.days) if mine else (None, None)
    today = after.astimezone(ZoneInfo(tz)).date()
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    if after_day is not None and day <= after_day:
        day += timedelta(days=7 * ((after_day - day).days // 7 + 1))
    while (moment := checkin_moment(day, tz=tz, hours=hours, days=days)) <= after:
        day += timedelta(days=7)
    return DueWork(
        kind=KIND,
        key=work_key(KIND, learning_set.id, user_id, day.isoformat()),
        due_at=moment,
        set_id=learning_set.id,
        user_id=user_id,
    )


def takes_checkin(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.active
        and membership.agreed_at is not None
        and membership.role is Role.MEMBER
    )


async def plan_checkin(
    uow: UnitOfWork,
    learning_set: LearningSet,
    membership: Membership,
    now: datetime,
    after_day: date | None = None,
) -> None:
    """Schedule the member's next check-in, if the set has one on (a no-op if planned)."""
    options = await options_of(uow, learning_set.id)
    if isinstance(options.checkin, int) and takes_checkin(membership):
        user_id, weekday = membership.user_id, options.checkin
        item = await next_checkin(uow, learning_set, user_id, weekday, now, after_day)
        await uow.due_work.schedule(item)


async def plan_checkins(uow: UnitOfWork, learning_set: LearningSet, now: datetime) -> int:
    """Schedule every member's next check-in (after `options checkin DAY`); how many."""
    members = [m for m in await uow.memberships.list_active(learning_set.id) if takes_checkin(m)]
    for membership in members:
        await plan_checkin(uow, learning_set, membership, now)
    return len(members)


# --- the due work ------------------------------------------------------------------------


async def send_checkin(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    if item.set_id is None or item.user_id is None:
        return Drop("malformed: needs set_id and user_id")
    learning_set = await uow.sets.get(item.set_id)
    if learning_set is None or learning_set.status is SetStatus.CLOSED:
        return Drop("set closed or gone")
    options = await options_of(uow, learning_set.id)
    planned_for = date.fromisoformat(item.key.rsplit(":", 1)[-1])
    if options.checkin != planned_for.weekday():
        return Drop("the check-in is off or on another day now")
    membership = await uow.memberships.get(learning_set.id, item.user_id)
    if not takes_checkin(membership):
        return Drop("no longer a member")
    assert membership is not None
    await plan_checkin(uow, learning_set, membership, max(now, item.due_at), planned_for)
    if now - item.due_at > LATE:
        return Drop(f"late: more than {LATE} after its moment; next week's is planned")
    mine = await uow.person_settings.get(item.user_id)
    if mine is not None and mine.away_until is not None and now < mine.away_until:
        return Drop("away; next week's is planned")
    return Send(Outcome((Outgoing(Direct(item.user_id), checkin_message(learning_set)),)))


def checkin_message(learning_set: LearningSet | None) -> Message:
    where = f" for “{learning_set.name}”" if learning_set else ""
    return Message(
        (
            Section(Text.of(f"Your weekly check-in{where}, just for you:")),
            *(Section(Text.of(q)) for q in QUESTIONS),
            Section(Text.of(HOW_TO_ANSWER)),
        )
    )


WORK_KIND = WorkKind(KIND, send_checkin)


# --- the verb ----------------------------------------------------------------------------


async def show_checkin(cmd: c.ShowCheckin, turn: Turn) -> Outcome:
    return private(turn.ctx, checkin_message(None))


async def answer_checkin(cmd: c.CheckinAnswer, turn: Turn) -> Outcome:
    kind = EntryKind.CHECKIN_STEPS if cmd.question == "steps" else EntryKind.CHECKIN_NEXT
    await keep_entry(turn, kind, cmd.text)
    return private(turn.ctx, Message.text(f"Check-in answer kept. {KEPT}"))


VERBS = (
    Verb(
        "checkin",
        parse_checkin,
        Usage(
            "checkin [steps TEXT | next TEXT]",
            "answer your weekly check-in (privately, into your learning log)",
            "checkin steps I asked Sam for the rota data",
            (
                "When a facilitator turns the weekly check-in on (`options checkin fri`), "
                "each member is asked privately that morning, in their own working hours: "
                "what clear steps did I take last week on my goal and actions "
                "(`checkin steps …`), and what will I focus on next week (`checkin next …`).",
                "`checkin` alone shows the two questions again.",
            ),
        ),
        (
            Route(c.ShowCheckin, PERSONAL, show_checkin),
            Route(c.CheckinAnswer, PERSONAL, answer_checkin),
        ),
    ),
)

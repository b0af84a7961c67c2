"""A held meeting's agenda: the planned meeting it is, the bids for it, in fair order
(`bot.model.agenda`), and who is next."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.messages import Inline, Mention, Message, Outcome, Outgoing, Public, Section, Text
from bot.model import AgendaItem, HeldMeeting, Meeting, fair_agenda
from bot.ports import UnitOfWork

LINK_WINDOW = timedelta(hours=2)
"""A meeting opened this close to a planned meeting's start (before or after) is that
meeting: its bids make the agenda and its guests take part."""


async def planned_meeting_near(uow: UnitOfWork, set_id: str, now: datetime) -> Meeting | None:
    """The planned meeting starting nearest to `now`, within `LINK_WINDOW` either side."""
    near = [
        m
        for m in await uow.meetings.upcoming(set_id, now - LINK_WINDOW)
        if m.starts_at <= now + LINK_WINDOW
    ]
    return min(near, key=lambda m: abs(m.starts_at - now)) if near else None


async def agenda_for(uow: UnitOfWork, set_id: str, planned: Meeting | None) -> list[AgendaItem]:
    """The bids for the planned meeting, in fair order; only members still active."""
    if planned is None:
        return []
    active = {m.user_id for m in await uow.memberships.list_active(set_id)}
    bids = [b for b in await uow.bids.for_meeting(planned.id) if b.user_id in active]
    return fair_agenda(bids, await uow.rounds.last_presented(set_id))


async def next_presenter(uow: UnitOfWork, meeting: HeldMeeting) -> str | None:
    """The first on the agenda who has not presented at this meeting and is still here."""
    presented = {r.presenter_id for r in await uow.rounds.of_meeting(meeting.id)}
    for user_id in meeting.agenda:
        membership = await uow.memberships.get(meeting.set_id, user_id)
        if user_id not in presented and membership is not None and membership.active:
            return user_id
    return None


def agenda_section(items: list[AgendaItem]) -> Section:
    if not items:
        return Section(
            Text.of(
                "Agenda: no bids for airtime this time. A facilitator names each presenter: "
                "`round start @name`."
            )
        )
    fields = tuple((str(n), Text.of(*_item(item))) for n, item in enumerate(items, start=1))
    return Section(
        Text.of("Agenda, from the bids for airtime (least recent presenter first):"), fields
    )


def _item(item: AgendaItem) -> tuple[Inline, ...]:
    tail = f" — {item.minutes} min" + ("" if item.fits else " (if time allows)")
    return (Mention(item.user_id), tail)


async def after_round(uow: UnitOfWork, meeting_id: str, place_id: str) -> Outcome:
    """The post after a round: who is next on the agenda, or the process review."""
    meeting = await uow.held_meetings.get(meeting_id)
    if meeting is None or not meeting.is_open:
        return Outcome()
    message = Message((Section(await _after(uow, meeting)),))
    return Outcome((Outgoing(Public(place_id), message),))


async def _after(uow: UnitOfWork, meeting: HeldMeeting) -> Text:
    following = await next_presenter(uow, meeting)
    if following is not None:
        return Text.of(
            "Next on the agenda: ",
            Mention(following),
            ". A facilitator starts it with `round start`.",
        )
    return Text.of(
        "When the set is ready, a facilitator closes the meeting with a process review: "
        "`meeting end`."
    )

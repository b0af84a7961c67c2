"""A person's Home: their sets, their open actions, their next meetings, how a round works.

A platform with a home page of its own for the bot (Slack's App Home) shows it; the core
builds it as a neutral view model (`HomeView`) from the repositories and the adapter
renders it. It holds one person's own things only: the sets they are in or sponsor (names
and their role), the actions *they* committed to (their own words), and when their sets
meet next — never another member's text.

An open action's buttons are the nudge's own (`bot.usecases.nudges`: done, snooze a day,
snooze a week), so a press on the Home goes through the same press path, inbox and
checks as a press on a nudge; their value names `HOME_KEY` instead of a nudge message,
and the adapter publishes the Home again after the press.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.messages import Direct, Outcome, Private, Public
from bot.model import Action, LearningSet, SetStatus
from bot.model.sets import DEFAULT_TZ
from bot.nudge_timing import NudgeKind
from bot.ports import UnitOfWork
from bot.usecases.nudges import DONE, HOME_KEY, SNOOZE_DAY, SNOOZE_WEEK

MAX_MEETINGS = 5
"""The next meetings shown: one per set, the soonest first."""

HOW_A_ROUND_WORKS = (
    "*Present* — the presenter describes their challenge and what they want from the set.",
    "*Questions* — the others ask open questions only: no advice, no war stories. "
    "Silence is allowed.",
    "*Reflect* — the presenter says what they now see differently.",
    "*Commit* — the presenter commits to concrete actions before the next meeting.",
    "*Resonance* — listeners say what they noticed, felt and learned.",
)
"""The five phases (docs/method.md), one line each; `*…*` is the phase's name."""


@dataclass(frozen=True)
class HomeSet:
    name: str
    role: str
    """"facilitator", "member", "member (agreement not yet accepted)" or "sponsor"."""


@dataclass(frozen=True)
class HomeButton:
    label: str
    action: str
    value: str
    primary: bool = False


@dataclass(frozen=True)
class HomeAction:
    set_name: str
    number: int
    text: str
    """The person's own words (they committed to it)."""
    due_at: datetime | None
    overdue: bool
    snoozed_until: datetime | None
    buttons: tuple[HomeButton, ...]


@dataclass(frozen=True)
class HomeMeeting:
    set_name: str
    starts_at: datetime
    """Aware UTC; a platform shows it in each reader's zone."""
    local: datetime
    """The same moment in the person's own zone (`HomeView.zone`)."""


@dataclass(frozen=True)
class HomeView:
    user_id: str
    zone: str
    """The person's zone: their own setting, else their profile's, else their first set's."""
    sets: tuple[HomeSet, ...]
    actions: tuple[HomeAction, ...]
    meetings: tuple[HomeMeeting, ...]
    command_prefix: str
    round_steps: tuple[str, ...] = HOW_A_ROUND_WORKS

    @property
    def empty(self) -> bool:
        return not self.sets


def action_buttons(action: Action, *, snoozable: bool) -> tuple[HomeButton, ...]:
    """The nudge's buttons for `action`, pressed from the Home (value: set, action, HOME_KEY)."""
    value = f"{action.set_id} {action.id} {HOME_KEY}"
    done = HomeButton("Done", DONE, value, primary=True)
    if not snoozable:  # no due moment (no date, no next meeting): nothing to snooze
        return (done,)
    return (
        done,
        HomeButton("Snooze a day", SNOOZE_DAY, value),
        HomeButton("Snooze a week", SNOOZE_WEEK, value),
    )


async def home_view(
    uow: UnitOfWork, user_id: str, now: datetime, *, command_prefix: str = "/set "
) -> HomeView:
    """`user_id`'s Home as it stands at `now` (reads only)."""
    sets: list[HomeSet] = []
    actions: list[HomeAction] = []
    meetings: list[HomeMeeting] = []
    first_tz: str | None = None
    snoozes = {
        n.action_id: n.at
        for n in await uow.nudges.of_member(user_id)
        if not n.sent and n.kind == NudgeKind.SNOOZED.value
    }
    mine: list[tuple[LearningSet, str]] = []
    for membership in await uow.memberships.of_user(user_id):
        learning_set = await uow.sets.get(membership.set_id)
        if not membership.active or learning_set is None or learning_set.status is SetStatus.CLOSED:
            continue
        role = membership.role.value
        if membership.pending:
            role += " (agreement not yet accepted)"
        mine.append((learning_set, role))
    for link in await uow.sponsors.of_sponsor(user_id):
        sponsored = await uow.sets.get(link.set_id)
        if sponsored is None or sponsored.status is SetStatus.CLOSED:
            continue
        if all(s.id != sponsored.id for s, _ in mine):
            mine.append((sponsored, "sponsor"))
    mine.sort(key=lambda found: (found[0].name.casefold(), found[0].id))
    for learning_set, role in mine:
        first_tz = first_tz or learning_set.tz
        sets.append(HomeSet(learning_set.name, role))
        if role == "sponsor":
            continue  # not a member: sees only what a member shares, not the set's life
        upcoming = await uow.meetings.upcoming(learning_set.id, now)
        next_at = upcoming[0].starts_at if upcoming else None
        if next_at is not None:
            meetings.append(HomeMeeting(learning_set.name, next_at, next_at))
        for action in await uow.actions.of_set(learning_set.id):
            if action.owner_id != user_id or not action.is_open:
                continue
            due = action.due_at or next_at
            actions.append(
                HomeAction(
                    learning_set.name,
                    action.number,
                    action.text,
                    action.due_at,
                    action.overdue(now),
                    snoozes.get(action.id),
                    action_buttons(action, snoozable=due is not None),
                )
            )
    person = await uow.people.get(user_id)
    fallback = first_tz or DEFAULT_TZ
    zone = person.zone(fallback) if person else fallback
    local = ZoneInfo(zone)
    meetings.sort(key=lambda m: m.starts_at)
    actions.sort(key=lambda a: (a.due_at is None, a.due_at or now, a.set_name, a.number))
    return HomeView(
        user_id,
        zone,
        tuple(sets),
        tuple(actions),
        tuple(
            HomeMeeting(m.set_name, m.starts_at, m.starts_at.astimezone(local))
            for m in meetings[:MAX_MEETINGS]
        ),
        command_prefix,
    )


def addressed(outcome: Outcome) -> tuple[set[str], set[str]]:
    """Whom an outcome speaks to privately or directly, and the places it posts in."""
    people: set[str] = set()
    places: set[str] = set()
    for item in outcome.messages:
        match item.to:
            case Private(user_id=user_id) | Direct(user_id=user_id):
                people.add(user_id)
            case Public(place_id=place_id):
                places.add(place_id)
    return people, places


async def homes_changed(uow: UnitOfWork, places: set[str]) -> set[str]:
    """The members of the sets in `places` (reads only): a meeting scheduled, an action
    committed or done there shows on their Homes."""
    people: set[str] = set()
    for place_id in sorted(places):
        learning_set = await uow.sets.get_by_place(place_id)
        if learning_set is not None:
            people.update(m.user_id for m in await uow.memberships.list_active(learning_set.id))
    return people

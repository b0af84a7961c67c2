"""Who may run which command: each verb record (`bot.verbs.Verb`) carries a `Rule` per
command form, and the dispatcher checks it with `authorise` before every command.

A speaker's *standing* is worked out in the set that lives in the place they speak
in. Someone who belongs to set A and speaks in set B's channel is an outsider there,
so "a member of set A can never read or change set B" follows from the table.

Decisions the table encodes:
- A *pending* member (joined or was added, has not yet `agree`d) can read the
  agreement, agree, leave, see help and keep their own settings; nothing that shows
  or changes set content until they agree.
- A *guest* sees the one meeting they were invited to (`schedule` lists only it),
  the agreement, and may agree to it; not the roster, challenges or actions.
- A *sponsor* is linked to one member and is never shown set content: only the
  commands that work anywhere (help, settings, log, mydata) and `create`.
- Person-wide commands (help, create, settings, log, mydata) need no set here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.context import Context
from bot.errors import NotAllowed, NotFound
from bot.model import LearningSet, Membership, PlaceKind, Role, SetStatus
from bot.ports import UnitOfWork


class Standing(StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    PENDING = "pending member"
    GUEST = "guest"
    SPONSOR = "sponsor"
    OUTSIDER = "outsider"


F, M, P, G, S, X = (
    Standing.FACILITATOR,
    Standing.MEMBER,
    Standing.PENDING,
    Standing.GUEST,
    Standing.SPONSOR,
    Standing.OUTSIDER,
)
ANYONE = frozenset(Standing)
MEMBERS = frozenset({F, M})
FACILITATORS = frozenset({F})

GUEST_ACCESS_AFTER_START = timedelta(hours=12)
"""A guest keeps access to their meeting until this long after it starts."""


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[Standing]
    needs_set: bool = True
    """False: works anywhere, even in a 1:1 chat (person-wide commands)."""
    changes_set: bool = False
    """True: refused once the set is closed (read-only)."""


def change(*allowed: Standing) -> Rule:
    """A rule for a command that changes the set: refused once it is closed."""
    return Rule(frozenset(allowed), changes_set=True)


def read(*allowed: Standing) -> Rule:
    """A rule for a command that only reads the set: still works once it is closed."""
    return Rule(frozenset(allowed))


PERSONAL = Rule(ANYONE, needs_set=False)


def denial(standing: Standing) -> NotAllowed:
    """The answer to someone whose standing does not permit the command."""
    if standing is Standing.FACILITATOR or standing is Standing.MEMBER:
        return NotAllowed("Only a facilitator of this set can do that.", example="members")
    if standing is Standing.PENDING:
        return NotAllowed(
            "Accept the set's agreement first: read it with `agreement`, then `agree`.",
            example="agree",
        )
    if standing is Standing.GUEST:
        return NotAllowed(
            "Guests take part in the meeting they were invited to; that is not open to guests.",
            example="schedule",
        )
    if standing is Standing.SPONSOR:
        return NotAllowed(
            "As a sponsor you are linked to one member, not part of the set: you see only "
            "what they choose to share with you.",
            example="help",
        )
    return NotAllowed("Only members of this set can do that.", example="join")


def check(rule: Rule, standing: Standing) -> None:
    if standing not in rule.allowed:
        raise denial(standing)


@dataclass(frozen=True)
class Access:
    """What authorisation found, handed to the handler so it need not look again.

    `here` is the set living in the speaker's place (None in a 1:1 chat or a place
    without a set; person-wide commands may get None); `membership` is the speaker's
    active membership in it, if any."""

    standing: Standing
    here: LearningSet | None = None
    membership: Membership | None = None

    @property
    def learning_set(self) -> LearningSet:
        """The set here; only for commands whose rule `needs_set` (checked already)."""
        if self.here is None:
            raise LookupError("this command's rule does not need a set")
        return self.here


async def authorise(uow: UnitOfWork, ctx: Context, rule: Rule, now: datetime) -> Access:
    """Raise `NotAllowed`/`NotFound` unless the speaker may run a command with `rule` here;
    return what was found on the way.

    Person-wide commands (`needs_set=False`) are never refused, but still learn the set
    in the speaker's place and their standing there, when there is one."""
    if not rule.needs_set:
        learning_set = await set_in(uow, ctx)
        if learning_set is None:
            return Access(Standing.OUTSIDER)
        return await _access(uow, learning_set, ctx.actor.user_id, now)
    learning_set = await set_here(uow, ctx)
    access = await _access(uow, learning_set, ctx.actor.user_id, now)
    check(rule, access.standing)
    if rule.changes_set:
        require_open(learning_set)
    return access


async def _access(
    uow: UnitOfWork, learning_set: LearningSet, user_id: str, now: datetime
) -> Access:
    membership = await uow.memberships.get(learning_set.id, user_id)
    active = membership if membership is not None and membership.active else None
    return Access(await standing_in(uow, learning_set, user_id, now), learning_set, active)


async def set_in(uow: UnitOfWork, ctx: Context) -> LearningSet | None:
    """The set living in the speaker's place, if any (never one in a 1:1 chat)."""
    if ctx.place.kind is PlaceKind.PERSONAL:
        return None
    return await uow.sets.get_by_place(ctx.place.id)


async def set_here(uow: UnitOfWork, ctx: Context) -> LearningSet:
    """The set that lives in the speaker's place, or a clear error."""
    if ctx.place.kind is PlaceKind.PERSONAL:
        raise NotFound(
            "Sets live in channels and group chats, not in a 1:1 chat with me.",
            example="members (in your set's channel)",
        )
    learning_set = await uow.sets.get_by_place(ctx.place.id)
    if learning_set is None:
        raise NotFound("There is no set in this place yet.", example="create Ward leaders 2026")
    return learning_set


def require_open(learning_set: LearningSet) -> None:
    if learning_set.status is SetStatus.CLOSED:
        raise NotAllowed("This set is closed; it can be read but not changed.", example="help")


async def standing_in(
    uow: UnitOfWork, learning_set: LearningSet, user_id: str, now: datetime
) -> Standing:
    membership = await uow.memberships.get(learning_set.id, user_id)
    if membership is not None and membership.active:
        if membership.agreed_at is None:
            return Standing.PENDING
        if membership.role is Role.FACILITATOR:
            return Standing.FACILITATOR
        return Standing.MEMBER
    if await uow.sponsors.sponsoring(learning_set.id, user_id):
        return Standing.SPONSOR
    for invitation in await uow.guests.of_user(learning_set.id, user_id):
        meeting = await uow.meetings.get(invitation.meeting_id)
        if (
            meeting
            and meeting.cancelled_at is None
            and now <= meeting.starts_at + GUEST_ACCESS_AFTER_START
        ):
            return Standing.GUEST
    return Standing.OUTSIDER

"""Who may run which command: one table, consulted by the dispatcher for every command.

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

from bot import commands as c
from bot.authz import require_open, set_here
from bot.context import Context
from bot.errors import NotAllowed
from bot.model import LearningSet, Role
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


def _change(*allowed: Standing) -> Rule:
    return Rule(frozenset(allowed), changes_set=True)


def _read(*allowed: Standing) -> Rule:
    return Rule(frozenset(allowed))


PERSONAL = Rule(ANYONE, needs_set=False)

RULES: dict[type[c.Command], Rule] = {
    c.Help: PERSONAL,
    c.CreateSet: PERSONAL,
    c.Settings: PERSONAL,
    c.LogEntry: PERSONAL,
    c.LogExport: PERSONAL,
    c.MyData: PERSONAL,
    c.JoinSet: _change(F, M, P, G, X),
    c.LeaveSet: _read(F, M, P),
    c.Agree: _change(F, M, P, G),
    c.ShowAgreement: _read(F, M, P, G),
    c.SetAgreement: _change(F),
    c.AddMembers: _change(F),
    c.RemoveMember: _change(F),
    c.InviteGuest: _change(F),
    c.ListMembers: _read(F, M),
    c.LinkSponsor: _change(F, M),
    c.SetChallenge: _change(F, M),
    c.SetGoal: _change(F, M),
    c.ListSchedule: _read(F, M, G),
    c.ScheduleOnce: _change(F),
    c.ScheduleSeries: _change(F),
    c.CancelMeeting: _change(F),
    c.Bid: _change(F, M),
    c.Options: _change(F),
    c.CloseSet: _change(F),
    c.MeetingStart: _change(F),
    c.MeetingEnd: _change(F),
    c.RoundStart: _change(F),
    c.RoundSteer: _change(F),
    c.RoundExtend: _change(F),
    c.RoundStatus: _read(F, M, G),
    c.CommitAction: _change(F, M),
    c.ListActions: _read(F, M),
    c.UpdateAction: _change(F, M),
    c.ShareAction: _change(F, M),
    c.ShareMeeting: _change(F, M),
    c.Report: _read(F),
}


def rule_for(command: c.Command) -> Rule:
    """The rule for a command; `Options` with no words only reads.

    A command missing from `RULES` is a programming error that fails closed
    (`LookupError`: the adapter's apology), never a command anyone may run."""
    rule = RULES.get(type(command))
    if rule is None:
        raise LookupError(f"no permission rule for {type(command).__name__}")
    if isinstance(command, c.Options) and command.is_query:
        return Rule(rule.allowed)
    return rule


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


async def authorise(uow: UnitOfWork, ctx: Context, command: c.Command, now: datetime) -> None:
    """Raise `NotAllowed`/`NotFound` unless the speaker may run `command` here."""
    rule = rule_for(command)
    if not rule.needs_set:
        return
    learning_set = await set_here(uow, ctx)
    check(rule, await standing_in(uow, learning_set, ctx.actor.user_id, now))
    if rule.changes_set:
        require_open(learning_set)


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

"""Verbs about the roster, the agreement, challenges and goals, and the set's end."""

from __future__ import annotations

from bot.commands import (
    AddMembers,
    Agree,
    CloseSet,
    Command,
    DeclineSponsorship,
    InviteGuest,
    LinkSponsor,
    RemoveMember,
    SetAgreement,
    SetChallenge,
    SetGoal,
    ShowAgreement,
    UnlinkSponsor,
)
from bot.errors import GrammarError
from bot.model import Role
from bot.parsing.words import free_text, no_args, require_mention

ROLES = {"member": Role.MEMBER, "facilitator": Role.FACILITATOR}


def parse_agree(args: list[str]) -> Command:
    no_args("agree", args)
    return Agree()


def parse_agreement(args: list[str]) -> Command:
    text = free_text(args, "agreement")
    return SetAgreement(text) if text else ShowAgreement()


def parse_add(args: list[str]) -> Command:
    example: str | None = None
    role = Role.MEMBER
    lowered = [a.lower() for a in args]
    if "as" in lowered:
        at = lowered.index("as")
        tail = lowered[at + 1 :]
        if len(tail) != 1 or tail[0] not in ROLES:
            raise GrammarError("After `as`, say `member` or `facilitator`.", example=example)
        role, args = ROLES[tail[0]], args[:at]
    if not args:
        raise GrammarError("Say whom to add: mention them with @.", example=example)
    users = tuple(dict.fromkeys(require_mention(a, example=example) for a in args))
    return AddMembers(users, role)


def parse_remove(args: list[str]) -> Command:
    example: str | None = None
    if len(args) > 1:
        raise GrammarError("Remove one person at a time.", example=example)
    return RemoveMember(require_mention(args[0] if args else None, example=example))


def parse_invite(args: list[str]) -> Command:
    example: str | None = None
    rest = [a.lower() for a in args[1:]]
    if rest not in ([], ["for", "next", "meeting"]):
        raise GrammarError(
            "A guest is invited to the next meeting only: `invite @a [for next meeting]`.",
            example=example,
        )
    return InviteGuest(require_mention(args[0] if args else None, example=example))


def parse_sponsor(args: list[str]) -> Command:
    example: str | None = None
    words = [a.lower() for a in args]
    if words == ["none"]:
        return UnlinkSponsor()
    if words == ["decline"]:
        return DeclineSponsorship()
    if len(args) > 1:
        raise GrammarError("A member has one sponsor: mention one person.", example=example)
    return LinkSponsor(require_mention(args[0] if args else None, example=example))


def parse_challenge(args: list[str]) -> Command:
    return SetChallenge(free_text(args, "challenge"))


def parse_goal(args: list[str]) -> Command:
    return SetGoal(free_text(args, "goal"))


def parse_close(args: list[str]) -> Command:
    no_args("close", args)
    return CloseSet()

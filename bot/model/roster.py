"""Who is in a set, in which role, and the rules every change to that keeps.

`Roster` is the one place that decides whether joining, agreeing, adding, removing,
leaving or a change of role is allowed. Its invariant: **an open set always has at
least one facilitator who has accepted the agreement**, so someone can always steer
it or close it. A change that would break it raises `Conflict` and changes nothing.

Removal sticks: someone a facilitator removed cannot `join` again; only a
facilitator's `add` brings them back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.errors import Conflict, NotAllowed, NotFound


class Role(StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    GUEST = "guest"


@dataclass
class Membership:
    set_id: str
    user_id: str
    role: Role
    joined_at: datetime
    agreed_at: datetime | None = None
    left_at: datetime | None = None
    removed: bool = False
    """True when a facilitator removed them (not when they left): they cannot `join` again."""

    @property
    def active(self) -> bool:
        return self.left_at is None

    @property
    def pending(self) -> bool:
        """On the roster but has not yet accepted the agreement."""
        return self.active and self.agreed_at is None

    @property
    def steers(self) -> bool:
        """An active facilitator who has accepted the agreement."""
        return self.active and self.agreed_at is not None and self.role is Role.FACILITATOR


@dataclass(frozen=True)
class SponsorLink:
    """A member's sponsor; never a member of the set and never shown set content."""

    set_id: str
    member_id: str
    sponsor_id: str
    linked_at: datetime


class Roster:
    """The memberships of one set that a change may touch, and the rules of changing them.

    Built from the set's active memberships plus any earlier membership of the people
    a change names (`known`); each method returns the membership to save.
    """

    def __init__(self, set_id: str, memberships: Iterable[Membership], *, open: bool = True):
        self.set_id = set_id
        self.open = open
        self._by_user = {m.user_id: m for m in memberships if m.set_id == set_id}

    def get(self, user_id: str) -> Membership | None:
        return self._by_user.get(user_id)

    def active(self) -> list[Membership]:
        return sorted((m for m in self._by_user.values() if m.active), key=lambda m: m.joined_at)

    def is_active(self, user_id: str) -> bool:
        m = self._by_user.get(user_id)
        return m is not None and m.active

    def facilitators(self) -> list[Membership]:
        return [m for m in self.active() if m.role is Role.FACILITATOR]

    # --- changes ----------------------------------------------------------------------

    def create(self, user_id: str, now: datetime) -> Membership:
        """The creator of a set facilitates it, agreed from the start."""
        return self._apply(Membership(self.set_id, user_id, Role.FACILITATOR, now, agreed_at=now))

    def join(self, user_id: str, now: datetime) -> Membership:
        existing = self._by_user.get(user_id)
        if existing is not None and existing.active:
            if existing.agreed_at is None:
                raise Conflict(
                    "You have joined; accept the agreement to complete it.", example="agree"
                )
            raise Conflict("You are already in this set.", example="members")
        if existing is not None and existing.removed:
            raise NotAllowed(
                "A facilitator took you off this set's roster; only a facilitator can add "
                "you back. Ask one of them.",
                example="help",
            )
        return self._apply(Membership(self.set_id, user_id, Role.MEMBER, joined_at=now))

    def agree(self, user_id: str, now: datetime) -> Membership:
        existing = self._require_active(user_id)
        if existing.agreed_at is not None:
            raise Conflict("You have already accepted the agreement.", example="agreement")
        return self._apply(replace(existing, agreed_at=now))

    def add(self, user_id: str, role: Role, now: datetime) -> Membership:
        """Add someone (pending until they agree), or change an active member's role."""
        existing = self._by_user.get(user_id)
        if existing is not None and existing.active:
            if existing.role is role:
                return existing
            return self._apply(replace(existing, role=role))
        return self._apply(Membership(self.set_id, user_id, role, joined_at=now))

    def remove(self, user_id: str, now: datetime) -> Membership:
        existing = self._by_user.get(user_id)
        if existing is None or not existing.active:
            raise NotFound("That person is not on this set's roster.", example="members")
        return self._apply(replace(existing, left_at=now, removed=True))

    def leave(self, user_id: str, now: datetime) -> Membership:
        existing = self._require_active(user_id)
        return self._apply(replace(existing, left_at=now))

    # --- the invariant ----------------------------------------------------------------

    def _require_active(self, user_id: str) -> Membership:
        existing = self._by_user.get(user_id)
        if existing is None or not existing.active:
            raise NotAllowed("Only members of this set can do that.", example="join")
        return existing

    def _apply(self, changed: Membership) -> Membership:
        before = self._by_user.get(changed.user_id)
        self._by_user[changed.user_id] = changed
        if self.open and not any(m.steers for m in self._by_user.values()):
            if before is None:
                del self._by_user[changed.user_id]
            else:
                self._by_user[changed.user_id] = before
            raise self._refusal(changed)
        return changed

    def _refusal(self, changed: Membership) -> Conflict:
        if changed.active:  # a role change
            return Conflict(
                "That would leave the set without a facilitator who has accepted the "
                "agreement: make someone else facilitator first.",
                example="add @sam as facilitator",
            )
        if not changed.removed:
            return Conflict(
                "You are the set's only facilitator who has accepted the agreement: hand "
                "facilitation on before you leave, or `close` the set.",
                example="add @sam as facilitator",
            )
        return Conflict(
            "That would leave the set without a facilitator who has accepted the agreement: "
            "add another one, and let them `agree`, first.",
            example="add @sam as facilitator",
        )

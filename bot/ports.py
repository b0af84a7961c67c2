"""Ports: what the core needs from the outside world, as structural types.

Adapters implement these; unit tests use in-memory fakes of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Protocol

from bot.duework import DueWork
from bot.messages import Form, Message, Outcome
from bot.model import (
    AirtimeBid,
    Contribution,
    GuestInvitation,
    HeldMeeting,
    LearningSet,
    Meeting,
    Membership,
    Person,
    PersonSettings,
    Round,
    RoundMessage,
    SetOptions,
    SponsorLink,
    Statement,
    StatementKind,
)
from bot.outbox import Receipt


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SetRepository(Protocol):
    async def get(self, set_id: str) -> LearningSet | None: ...
    async def get_by_place(self, place_id: str) -> LearningSet | None: ...
    async def add(self, learning_set: LearningSet) -> None: ...
    async def save(self, learning_set: LearningSet) -> None: ...


class PersonRepository(Protocol):
    async def get(self, user_id: str) -> Person | None: ...
    async def save(self, person: Person) -> None:
        """Insert or update."""
        ...


class MembershipRepository(Protocol):
    async def get(self, set_id: str, user_id: str) -> Membership | None: ...
    async def list_active(self, set_id: str) -> list[Membership]: ...
    async def save(self, membership: Membership) -> None:
        """Insert or update."""
        ...


class ContributionRepository(Protocol):
    async def get(self, place_id: str, message_id: str) -> Contribution | None: ...
    async def save(self, contribution: Contribution) -> None:
        """Insert or update."""
        ...

    async def delete(self, place_id: str, message_id: str) -> None: ...
    async def list_thread(self, place_id: str, thread_id: str) -> list[Contribution]: ...


class DueWorkQueue(Protocol):
    """Due work, scheduled in the same transaction as the change that makes it due."""

    async def schedule(self, item: DueWork) -> None:
        """Queue `item`; a no-op if work with the same key is already queued or done."""
        ...

    async def cancel(self, key: str) -> None:
        """Forget work not yet delivered (a no-op if there is none); its key is free again."""
        ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without `commit()` rolls back.

    A change that clashes with a concurrent one (two `create`s in one place at once)
    raises `bot.errors.Conflict` and saves nothing, so the speaker gets a private answer.
    """

    sets: SetRepository
    people: PersonRepository
    memberships: MembershipRepository
    contributions: ContributionRepository
    statements: StatementRepository
    meetings: MeetingRepository
    guests: GuestRepository
    sponsors: SponsorRepository
    bids: BidRepository
    person_settings: PersonSettingsRepository
    set_options: SetOptionsRepository
    held_meetings: HeldMeetingRepository
    rounds: RoundRepository
    round_messages: RoundMessageRepository
    due_work: DueWorkQueue
    message_refs: MessageRefs
    inbox: InboxReceipts
    outbox: OutboxQueue

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class ChatGateway(Protocol):
    """Sends neutral messages to a platform. Raises `DeliveryError`/`RateLimited`."""

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        """Post where everyone in the place sees it; returns the platform's message ref."""
        ...

    async def post_private(self, place_id: str | None, user_id: str, message: Message) -> None:
        """Show only to `user_id` (Slack ephemeral; Teams 1:1 chat)."""
        ...

    async def direct(self, user_id: str, message: Message) -> str:
        """Direct-message one user; returns the message ref."""
        ...

    async def update(self, place_id: str, message_ref: str, message: Message) -> None: ...

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None: ...

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None: ...


# --- the set's life outside the rounds ---------------------------------------------------


class StatementRepository(Protocol):
    async def add(self, statement: Statement) -> None: ...
    async def history(
        self, set_id: str, owner_id: str | None, kind: StatementKind
    ) -> list[Statement]:
        """Every revision, oldest first."""
        ...


class MeetingRepository(Protocol):
    async def add(self, meeting: Meeting) -> None: ...
    async def save(self, meeting: Meeting) -> None: ...
    async def upcoming(self, set_id: str, after: datetime) -> list[Meeting]:
        """Meetings not cancelled starting at or after `after`, earliest first."""
        ...

    async def get(self, meeting_id: str) -> Meeting | None: ...


class GuestRepository(Protocol):
    async def add(self, invitation: GuestInvitation) -> None: ...
    async def of_user(self, set_id: str, user_id: str) -> list[GuestInvitation]: ...


class SponsorRepository(Protocol):
    async def save(self, link: SponsorLink) -> None:
        """Insert, or replace the member's earlier sponsor."""
        ...

    async def of_member(self, set_id: str, member_id: str) -> SponsorLink | None: ...
    async def sponsoring(self, set_id: str, sponsor_id: str) -> list[SponsorLink]: ...
    async def of_sponsor(self, sponsor_id: str) -> list[SponsorLink]:
        """Every link naming `sponsor_id`, in any set, oldest first."""
        ...

    async def remove(self, set_id: str, member_id: str) -> None:
        """Forget the member's sponsor link (a no-op if there is none)."""
        ...


class BidRepository(Protocol):
    async def save(self, bid: AirtimeBid) -> None:
        """Insert, or replace the member's earlier bid for the same meeting."""
        ...

    async def for_meeting(self, meeting_id: str) -> list[AirtimeBid]: ...


class PersonSettingsRepository(Protocol):
    async def get(self, user_id: str) -> PersonSettings | None: ...
    async def save(self, settings: PersonSettings) -> None: ...


class SetOptionsRepository(Protocol):
    async def get(self, set_id: str) -> SetOptions | None: ...
    async def save(self, options: SetOptions) -> None: ...


# --- meetings as held, and their rounds (bot.usecases.rounds) ----------------------------


class HeldMeetingRepository(Protocol):
    async def add(self, meeting: HeldMeeting) -> None:
        """Insert; a second open meeting in one set is a `Conflict` (at the latest on commit)."""
        ...

    async def save(self, meeting: HeldMeeting) -> None: ...
    async def get(self, meeting_id: str) -> HeldMeeting | None: ...
    async def open_in(self, set_id: str) -> HeldMeeting | None:
        """The set's open meeting, if one is open."""
        ...


class RoundRepository(Protocol):
    async def add(self, round_: Round) -> None:
        """Insert; a second open round in one set is a `Conflict` (at the latest on commit)."""
        ...

    async def save(self, round_: Round) -> None:
        """Store a change. The stored round must be at an earlier `step`: if a concurrent
        change got there first, this is a `Conflict` and the transaction must not commit."""
        ...

    async def get(self, round_id: str) -> Round | None: ...
    async def open_in(self, set_id: str) -> Round | None: ...
    async def of_meeting(self, meeting_id: str) -> list[Round]:
        """The meeting's rounds, in the order they started."""
        ...

    async def last_presented(self, set_id: str) -> dict[str, datetime]:
        """When each presenter of the set's rounds last started one."""
        ...


class RoundMessageRepository(Protocol):
    """Counts-only records of messages written in rounds (`bot.model.participation`)."""

    async def save(self, message: RoundMessage) -> None:
        """Insert or update (by place and message id)."""
        ...

    async def get(self, place_id: str, message_id: str) -> RoundMessage | None: ...
    async def delete(self, place_id: str, message_id: str) -> None: ...
    async def of_round(self, round_id: str) -> list[RoundMessage]:
        """Oldest first."""
        ...


# --- messages the core names later (bot.delivery) ---------------------------------------


class MessageRefs(Protocol):
    """The platform refs of posted messages the core named with `Outgoing.remember`.

    A key ("round:ID") names one message; a ref is the platform's id of it in a place
    (a Slack ts, a Teams activity id). Refs hold no content."""

    async def remember(self, key: str, place_id: str, ref: str) -> None:
        """Insert, or replace the key's earlier ref (a re-posted message)."""
        ...

    async def ref_of(self, key: str) -> str | None: ...
    async def key_of(self, place_id: str, ref: str) -> str | None:
        """The key a message in `place_id` was remembered under: an inbound reply whose
        thread root is `ref` belongs to what that key names (e.g. a round)."""
        ...


# --- exactly once (bot.outbox) ------------------------------------------------------------


class InboxReceipts(Protocol):
    async def finish(self, receipt: Receipt) -> None:
        """Mark the delivery handled in this transaction: a replay never runs it again."""
        ...


class OutboxQueue(Protocol):
    async def queue(self, outcome: Outcome, *, origin: str) -> Outcome:
        """Store the outcome's forms and messages (in that order) to be sent after this
        transaction commits; return the outcome with each item's `outbox_id` set."""
        ...

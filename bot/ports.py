"""Ports: what the core needs from the outside world, as structural types.

Adapters implement these; unit tests use in-memory fakes of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol

from bot.duework import DueWork
from bot.errors import DeliveryError
from bot.messages import Form, Message, Outcome
from bot.model import (
    Action,
    ActionNudge,
    AirtimeBid,
    Contribution,
    FishbowlNote,
    GuestInvitation,
    HeldMeeting,
    LearningLogEntry,
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
from bot.model.report_back import ReportBack
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
    async def of_user(self, user_id: str) -> list[Membership]:
        """The person's active memberships, in every set."""
        ...

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

    # Read-only properties, not attributes: a Protocol's mutable attribute must be matched
    # by exactly its type, so the SQL and in-memory repositories could not satisfy it.
    @property
    def sets(self) -> SetRepository: ...
    @property
    def people(self) -> PersonRepository: ...
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def contributions(self) -> ContributionRepository: ...
    @property
    def statements(self) -> StatementRepository: ...
    @property
    def meetings(self) -> MeetingRepository: ...
    @property
    def guests(self) -> GuestRepository: ...
    @property
    def sponsors(self) -> SponsorRepository: ...
    @property
    def bids(self) -> BidRepository: ...
    @property
    def person_settings(self) -> PersonSettingsRepository: ...
    @property
    def set_options(self) -> SetOptionsRepository: ...
    @property
    def due_work(self) -> DueWorkQueue: ...
    @property
    def inbox(self) -> InboxReceipts: ...
    @property
    def outbox(self) -> OutboxQueue: ...
    @property
    def held_meetings(self) -> HeldMeetingRepository: ...
    @property
    def rounds(self) -> RoundRepository: ...
    @property
    def round_messages(self) -> RoundMessageRepository: ...
    @property
    def fishbowl_notes(self) -> FishbowlNoteRepository: ...
    @property
    def message_refs(self) -> MessageRefs: ...
    @property
    def actions(self) -> ActionRepository: ...
    @property
    def learning_log(self) -> LearningLogRepository: ...
    @property
    def nudges(self) -> NudgeRepository: ...
    @property
    def report_backs(self) -> ReportBackRepository: ...
    @property
    def personal_data(self) -> PersonalData: ...
    @property
    def retention(self) -> Retention: ...

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

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        """Show only to `user_id` (Slack ephemeral, in `thread_id` if given; Teams 1:1 chat)."""
        ...

    async def direct(self, user_id: str, message: Message) -> str:
        """Direct-message one user; returns the message ref."""
        ...

    async def update(self, place_id: str, message_ref: str, message: Message) -> None: ...

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None: ...

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None: ...


GatewayResolver = Callable[[str], ChatGateway]
"""Given a place or user id, the gateway of its platform; raises `NoGateway` if none serves it."""


class NoGateway(DeliveryError):
    """No gateway is registered for an id's platform: the work cannot be delivered here."""

    def __init__(self, platform: str) -> None:
        super().__init__(f"no gateway serves platform {platform!r}")
        self.platform = platform


# --- delivering due work (the scheduler's side of the queue) ----------------------------


@dataclass(frozen=True)
class Claimed:
    """A row of due work one worker holds the lease on."""

    id: int
    item: DueWork
    attempts: int
    """Claims so far that count towards giving up (this one included)."""


class DueWorkClaims(Protocol):
    """The scheduler's hold on stored due work: claim it under a lease, then finish it.

    States: pending → claimed (leased to an owner until an instant) → done | dropped |
    failed (parked for an operator), or back to pending (retry, deferral, release).
    Every finishing call changes the row only while `owner` still holds its lease and
    returns False otherwise (the lease expired and another worker took the row over).
    """

    async def claim(
        self, *, now: datetime, owner: str, lease: timedelta, limit: int, max_attempts: int
    ) -> list[Claimed]:
        """Up to `limit` rows, earliest due first: rows whose lease expired (their worker
        died), then pending rows due by `now`. Each claim counts one attempt; a row whose
        worker died `max_attempts` times is parked instead of claimed again."""
        ...

    async def claim_key(
        self, key: str, *, now: datetime, owner: str, lease: timedelta
    ) -> Claimed | None:
        """Claim the row with `key` if it is pending and due by `now`; None if not."""
        ...

    async def complete(self, claimed: Claimed, owner: str, *, now: datetime) -> bool:
        """Delivered: done."""
        ...

    async def drop(self, claimed: Claimed, owner: str, *, now: datetime, reason: str) -> bool:
        """Nothing to send any more: dropped, with the (content-free) reason."""
        ...

    async def retry_at(
        self, claimed: Claimed, owner: str, *, now: datetime, at: datetime, error: str
    ) -> bool:
        """Failed this attempt: pending again from `at`, with the error kept."""
        ...

    async def defer(self, claimed: Claimed, owner: str, *, now: datetime, at: datetime) -> bool:
        """The platform said wait: pending again from `at`; the claim is not an attempt."""
        ...

    async def release(self, claimed: Claimed, owner: str, *, now: datetime) -> bool:
        """Given back unhandled (shutting down): pending; the claim is not an attempt."""
        ...

    async def park(self, claimed: Claimed, owner: str, *, now: datetime, error: str) -> bool:
        """Given up: failed, parked for an operator with the error."""
        ...

    async def upcoming(self, kinds: frozenset[str], until: datetime) -> list[tuple[str, datetime]]:
        """(key, run_at) of pending work of `kinds` that comes due by `until`."""
        ...

    async def pending_run_at(self, key: str) -> datetime | None:
        """When the row with `key` may next be claimed, if it is pending."""
        ...


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

    async def latest_in(self, set_id: str) -> HeldMeeting | None:
        """The set's most recently opened meeting, open or closed."""
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


class FishbowlNoteRepository(Protocol):
    """The outer ring's notes to a fishbowl round (set content: their text)."""

    async def add(self, note: FishbowlNote) -> None:
        """Insert; a note whose id is stored already is left as it is (delivered twice)."""
        ...

    async def of_round(self, round_id: str) -> list[FishbowlNote]:
        """Every note to the round, shown or not, in the order written."""
        ...

    async def mark_shown(self, note_ids: list[str], at: datetime) -> None: ...


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


class ActionRepository(Protocol):
    """Members' committed actions (`bot.model.actions`; set content: their text and notes)."""

    async def add(self, action: Action) -> None:
        """Insert; a second action with the same number in its set is a `Conflict` (at the
        latest on commit)."""
        ...

    async def save(self, action: Action) -> None:
        """Store a change: status, due moment, closing note, and notes added since loaded."""
        ...

    async def get(self, set_id: str, number: int) -> Action | None: ...
    async def of_set(self, set_id: str) -> list[Action]:
        """Every action of the set, by number."""
        ...

    async def next_number(self, set_id: str) -> int:
        """One more than the set's highest number (1 for its first action)."""
        ...


class LearningLogRepository(Protocol):
    """Each person's private learning log (`bot.model.learning_log`; set content: its text)."""

    async def add(self, entry: LearningLogEntry) -> None:
        """Insert; an entry whose id is stored already is left as it is (delivered twice)."""
        ...

    async def of_author(self, author_id: str) -> list[LearningLogEntry]:
        """Every entry the person wrote, in every set, oldest first."""
        ...


class NudgeRepository(Protocol):
    """Nudges about members' actions (`bot.model.nudges`: ids and times, no content)."""

    async def of_member(self, member_id: str) -> list[ActionNudge]:
        """Every nudge of the member, planned and sent, by time."""
        ...

    async def save(self, nudge: ActionNudge) -> None:
        """Insert or replace (by id)."""
        ...

    async def delete(self, nudge_ids: list[str]) -> None: ...


class Retention(Protocol):
    """Forgetting what is kept no longer (`bot.usecases.retention`)."""

    async def sets_closed_before(self, cutoff: datetime) -> list[str]: ...
    async def delete_set(self, set_id: str) -> int:
        """The set and everything it holds; rows deleted."""
        ...

    async def purge_finished_work(self, cutoff: datetime) -> int:
        """Due work done or dropped before `cutoff` (failed work is kept for operators)."""
        ...

    async def purge_deliveries(self, cutoff: datetime) -> int:
        """Inbox rows received, and outbox rows sent or failed, before `cutoff`."""
        ...


class PersonalData(Protocol):
    """Everything stored about one person, for `mydata export` (found by the store from
    its schema, so a new table is covered without a list to keep)."""

    async def export(self, user_id: str) -> dict[str, list[dict[str, object]]]:
        """Rows naming the person (and their dependents), by table; JSON-ready values."""
        ...

    async def erase(self, user_id: str) -> dict[str, int]:
        """Erase the person (DESIGN.md, "Erasure"): their own records go; their words in
        others' rounds stay as "[removed]" by no one; other mentions are replaced. Rows
        changed, by table."""
        ...


class ReportBackRepository(Protocol):
    """Members' private report-backs on their actions (`bot.model.report_back`)."""

    async def save(self, report: ReportBack) -> None:
        """Insert, or replace the answer with the same (action, meeting)."""
        ...

    async def get(self, action_id: str, meeting_id: str) -> ReportBack | None: ...
    async def of_set(self, set_id: str) -> list[ReportBack]:
        """Every report-back in the set, oldest first."""
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
        transaction commits; return the outcome with each item's `outbox_id` set. An
        empty outcome is recorded too, so that `holds(origin)` knows it was handled."""
        ...

    async def holds(self, origin: str) -> bool:
        """Whether anything was queued under `origin` (its work has committed)."""
        ...

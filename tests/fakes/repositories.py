"""In-memory repositories of the core's records, over one `MemoryData`.

Each returns copies, so changing a loaded record changes nothing until it is saved,
as with the SQL store.
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from bot.duework import DueWork
from bot.errors import Conflict
from bot.messages import OpenForm, Outcome, Outgoing
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


@dataclass
class MemoryData:
    sets: dict[str, LearningSet] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    memberships: dict[tuple[str, str], Membership] = field(default_factory=dict)
    contributions: dict[tuple[str, str], Contribution] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    guests: list[GuestInvitation] = field(default_factory=list)
    sponsors: dict[tuple[str, str], SponsorLink] = field(default_factory=dict)
    bids: dict[tuple[str, str], AirtimeBid] = field(default_factory=dict)
    person_settings: dict[str, PersonSettings] = field(default_factory=dict)
    set_options: dict[str, SetOptions] = field(default_factory=dict)
    held_meetings: dict[str, HeldMeeting] = field(default_factory=dict)
    rounds: dict[str, Round] = field(default_factory=dict)
    round_messages: dict[tuple[str, str], RoundMessage] = field(default_factory=dict)
    due_work: dict[str, DueWork] = field(default_factory=dict)
    handled: dict[str, str] = field(default_factory=dict)
    """Inbox keys ("source:key") marked handled, with their source."""
    outbox: dict[str, OpenForm | Outgoing] = field(default_factory=dict)
    """Queued replies by outbox id, as the SQL outbox stores them."""
    outbox_origins: dict[str, int] = field(default_factory=dict)
    """How many times something was queued under each origin."""
    finished: set[str] = field(default_factory=set)
    """Keys of due work done or dropped (tests mark them): scheduling them again is a no-op."""
    message_refs: dict[str, tuple[str, str]] = field(default_factory=dict)
    """(place id, ref) by key."""
    fishbowl_notes: dict[str, FishbowlNote] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    learning_log: dict[str, LearningLogEntry] = field(default_factory=dict)
    nudges: dict[str, ActionNudge] = field(default_factory=dict)
    report_backs: dict[tuple[str, str], ReportBack] = field(default_factory=dict)
    """By (action id, meeting id)."""


CLASH_MESSAGE = (
    "Someone else changed this at the same moment, so nothing was saved. Please try again."
)
"""What the SQL store says when a unique key clashes (`adapters.store.uow`)."""


def clash() -> Conflict:
    return Conflict(CLASH_MESSAGE)


def statement_key(s: Statement) -> tuple[str, str | None, str, int]:
    """A statement's unique key in the store."""
    return (s.set_id, s.owner_id, s.kind, s.revision)


def guest_key(g: GuestInvitation) -> tuple[str, str, str]:
    return (g.set_id, g.user_id, g.meeting_id)


def unique_clashes(data: MemoryData) -> bool:
    """Whether `data` breaks a unique rule the SQL tables hold besides their primary keys."""
    places = [s.place_id for s in data.sets.values()]
    statements = [statement_key(s) for s in data.statements]
    open_meetings = [m.set_id for m in data.held_meetings.values() if m.closed_at is None]
    open_rounds = [r.set_id for r in data.rounds.values() if r.closed_at is None]
    action_numbers = [(a.set_id, a.number) for a in data.actions.values()]
    return any(
        len(set(keys)) < len(keys)
        for keys in (places, statements, open_meetings, open_rounds, action_numbers)
    )


class MemorySets:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, set_id: str) -> LearningSet | None:
        return copy.copy(self.data.sets.get(set_id))

    async def get_by_place(self, place_id: str) -> LearningSet | None:
        found = [s for s in self.data.sets.values() if s.place_id == place_id]
        return copy.copy(found[0]) if found else None

    async def add(self, learning_set: LearningSet) -> None:
        if learning_set.id in self.data.sets:
            raise clash()
        await self.save(learning_set)

    async def save(self, learning_set: LearningSet) -> None:
        """Insert or update; a place holds one set."""
        if any(
            s.place_id == learning_set.place_id and s.id != learning_set.id
            for s in self.data.sets.values()
        ):
            raise clash()
        self.data.sets[learning_set.id] = copy.copy(learning_set)


class MemoryPeople:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, user_id: str) -> Person | None:
        return copy.copy(self.data.people.get(user_id))

    async def save(self, person: Person) -> None:
        self.data.people[person.user_id] = copy.copy(person)


class MemoryMemberships:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, set_id: str, user_id: str) -> Membership | None:
        return copy.copy(self.data.memberships.get((set_id, user_id)))

    async def list_active(self, set_id: str) -> list[Membership]:
        return [
            copy.copy(m)
            for (sid, _), m in sorted(self.data.memberships.items(), key=lambda kv: kv[1].joined_at)
            if sid == set_id and m.active
        ]

    async def of_user(self, user_id: str) -> list[Membership]:
        found = [m for (_, uid), m in self.data.memberships.items() if uid == user_id and m.active]
        return [copy.copy(m) for m in sorted(found, key=lambda m: (m.joined_at, m.set_id))]

    async def save(self, membership: Membership) -> None:
        self.data.memberships[(membership.set_id, membership.user_id)] = copy.copy(membership)


class MemoryContributions:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, place_id: str, message_id: str) -> Contribution | None:
        return copy.copy(self.data.contributions.get((place_id, message_id)))

    async def save(self, contribution: Contribution) -> None:
        key = (contribution.place_id, contribution.message_id)
        self.data.contributions[key] = copy.copy(contribution)

    async def delete(self, place_id: str, message_id: str) -> None:
        self.data.contributions.pop((place_id, message_id), None)

    async def list_thread(self, place_id: str, thread_id: str) -> list[Contribution]:
        found = [
            c
            for c in self.data.contributions.values()
            if c.place_id == place_id and c.thread_id == thread_id
        ]
        return [copy.copy(c) for c in sorted(found, key=lambda c: c.posted_at)]


class MemoryStatements:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, statement: Statement) -> None:
        if any(statement_key(s) == statement_key(statement) for s in self.data.statements):
            raise clash()
        self.data.statements.append(statement)

    async def history(
        self, set_id: str, owner_id: str | None, kind: StatementKind
    ) -> list[Statement]:
        found = [
            s
            for s in self.data.statements
            if (s.set_id, s.owner_id, s.kind) == (set_id, owner_id, kind)
        ]
        return sorted(found, key=lambda s: s.revision)


class MemoryMeetings:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, meeting: Meeting) -> None:
        if meeting.id in self.data.meetings:
            raise clash()
        self.data.meetings[meeting.id] = copy.copy(meeting)

    async def save(self, meeting: Meeting) -> None:
        self.data.meetings[meeting.id] = copy.copy(meeting)

    async def upcoming(self, set_id: str, after: datetime) -> list[Meeting]:
        found = [
            m
            for m in self.data.meetings.values()
            if m.set_id == set_id and m.cancelled_at is None and m.starts_at >= after
        ]
        return [copy.copy(m) for m in sorted(found, key=lambda m: m.starts_at)]

    async def get(self, meeting_id: str) -> Meeting | None:
        return copy.copy(self.data.meetings.get(meeting_id))


class MemoryGuests:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, invitation: GuestInvitation) -> None:
        """Invite once: the same person to the same meeting again is a no-op."""
        if not any(guest_key(g) == guest_key(invitation) for g in self.data.guests):
            self.data.guests.append(invitation)

    async def of_user(self, set_id: str, user_id: str) -> list[GuestInvitation]:
        return [g for g in self.data.guests if (g.set_id, g.user_id) == (set_id, user_id)]


class MemorySponsors:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def save(self, link: SponsorLink) -> None:
        self.data.sponsors[(link.set_id, link.member_id)] = link

    async def of_member(self, set_id: str, member_id: str) -> SponsorLink | None:
        return self.data.sponsors.get((set_id, member_id))

    async def sponsoring(self, set_id: str, sponsor_id: str) -> list[SponsorLink]:
        return [
            link
            for link in self.data.sponsors.values()
            if (link.set_id, link.sponsor_id) == (set_id, sponsor_id)
        ]

    async def of_sponsor(self, sponsor_id: str) -> list[SponsorLink]:
        links = [link for link in self.data.sponsors.values() if link.sponsor_id == sponsor_id]
        return sorted(links, key=lambda link: (link.linked_at, link.set_id))

    async def remove(self, set_id: str, member_id: str) -> None:
        self.data.sponsors.pop((set_id, member_id), None)


class MemoryBids:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def save(self, bid: AirtimeBid) -> None:
        self.data.bids[(bid.meeting_id, bid.user_id)] = bid

    async def for_meeting(self, meeting_id: str) -> list[AirtimeBid]:
        found = [b for (mid, _), b in self.data.bids.items() if mid == meeting_id]
        return sorted(found, key=lambda b: b.bid_at)


class MemoryPersonSettings:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, user_id: str) -> PersonSettings | None:
        return copy.copy(self.data.person_settings.get(user_id))

    async def save(self, settings: PersonSettings) -> None:
        # The SQL store keeps no working days as "not set", and so reads back None.
        kept = dataclasses.replace(settings, days=settings.days or None)
        self.data.person_settings[settings.user_id] = kept


class MemorySetOptions:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def get(self, set_id: str) -> SetOptions | None:
        return copy.copy(self.data.set_options.get(set_id))

    async def save(self, options: SetOptions) -> None:
        self.data.set_options[options.set_id] = copy.copy(options)


class MemoryInbox:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def finish(self, receipt: Receipt) -> None:
        for key in receipt.keys:
            self.data.handled[f"{receipt.source}:{key}"] = receipt.source


class MemoryOutbox:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def queue(self, outcome: Outcome, *, origin: str) -> Outcome:
        forms = tuple(dataclasses.replace(f, outbox_id=self._id()) for f in outcome.forms)
        messages: list[Outgoing] = []
        for outgoing in outcome.messages:
            row_id = self._id()
            message = outgoing.message
            keyed = message if message.key else dataclasses.replace(message, key=row_id)
            messages.append(dataclasses.replace(outgoing, message=keyed, outbox_id=row_id))
        for item in (*forms, *messages):
            assert item.outbox_id is not None
            self.data.outbox[item.outbox_id] = item
        self.data.outbox_origins[origin] = self.data.outbox_origins.get(origin, 0) + 1
        return Outcome(tuple(messages), forms)

    async def holds(self, origin: str) -> bool:
        return origin in self.data.outbox_origins

    @staticmethod
    def _id() -> str:
        return uuid.uuid4().hex


class MemoryDueWork:
    """Pending due work by key (delivery is the SQL store's business, tested there)."""

    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def schedule(self, item: DueWork) -> None:
        if item.key not in self.data.finished:
            self.data.due_work.setdefault(item.key, item)

    async def cancel(self, key: str) -> None:
        self.data.due_work.pop(key, None)


class MemoryMessageRefs:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def remember(self, key: str, place_id: str, ref: str) -> None:
        self.data.message_refs[key] = (place_id, ref)

    async def ref_of(self, key: str) -> str | None:
        found = self.data.message_refs.get(key)
        return found[1] if found else None

    async def key_of(self, place_id: str, ref: str) -> str | None:
        keys = [k for k, where in self.data.message_refs.items() if where == (place_id, ref)]
        return min(keys) if keys else None


class MemoryHeldMeetings:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, meeting: HeldMeeting) -> None:
        if meeting.id in self.data.held_meetings:
            raise clash()
        await self.save(meeting)

    async def save(self, meeting: HeldMeeting) -> None:
        self.data.held_meetings[meeting.id] = copy.copy(meeting)
        if unique_clashes(self.data):  # the SQL store's partial unique index, on flush
            raise clash()

    async def get(self, meeting_id: str) -> HeldMeeting | None:
        return copy.copy(self.data.held_meetings.get(meeting_id))

    async def open_in(self, set_id: str) -> HeldMeeting | None:
        found = [m for m in self.data.held_meetings.values() if m.set_id == set_id and m.is_open]
        return copy.copy(found[0]) if found else None

    async def latest_in(self, set_id: str) -> HeldMeeting | None:
        found = [m for m in self.data.held_meetings.values() if m.set_id == set_id]
        found.sort(key=lambda m: (m.opened_at, m.id))
        return copy.copy(found[-1]) if found else None


class MemoryRounds:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, round_: Round) -> None:
        if round_.id in self.data.rounds:
            raise clash()
        self.data.rounds[round_.id] = copy.deepcopy(round_)
        if unique_clashes(self.data):
            raise clash()

    async def save(self, round_: Round) -> None:
        stored = self.data.rounds.get(round_.id)
        if stored is None or stored.step >= round_.step:
            raise Conflict(ROUND_CLASH)
        self.data.rounds[round_.id] = copy.deepcopy(round_)

    async def get(self, round_id: str) -> Round | None:
        return copy.deepcopy(self.data.rounds.get(round_id))

    async def open_in(self, set_id: str) -> Round | None:
        found = [r for r in self._in_order() if r.set_id == set_id and r.is_open]
        return found[0] if found else None

    async def of_meeting(self, meeting_id: str) -> list[Round]:
        return [r for r in self._in_order() if r.meeting_id == meeting_id]

    async def last_presented(self, set_id: str) -> dict[str, datetime]:
        return {r.presenter_id: r.started_at for r in self._in_order() if r.set_id == set_id}

    def _in_order(self) -> list[Round]:
        found = sorted(self.data.rounds.values(), key=lambda r: (r.started_at, r.id))
        return [copy.deepcopy(r) for r in found]


ROUND_CLASH = (
    "Someone else changed the round at the same moment, so nothing was saved. Please try again."
)
"""What the SQL store says when a round was changed concurrently (`adapters.store.rounds`)."""


class MemoryRoundMessages:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def save(self, message: RoundMessage) -> None:
        self.data.round_messages[(message.place_id, message.message_id)] = copy.copy(message)

    async def get(self, place_id: str, message_id: str) -> RoundMessage | None:
        return copy.copy(self.data.round_messages.get((place_id, message_id)))

    async def delete(self, place_id: str, message_id: str) -> None:
        self.data.round_messages.pop((place_id, message_id), None)

    async def of_round(self, round_id: str) -> list[RoundMessage]:
        found = [m for m in self.data.round_messages.values() if m.round_id == round_id]
        return [copy.copy(m) for m in sorted(found, key=lambda m: (m.posted_at, m.message_id))]


class MemoryFishbowlNotes:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, note: FishbowlNote) -> None:
        self.data.fishbowl_notes.setdefault(note.id, copy.copy(note))

    async def of_round(self, round_id: str) -> list[FishbowlNote]:
        found = [n for n in self.data.fishbowl_notes.values() if n.round_id == round_id]
        return [copy.copy(n) for n in sorted(found, key=lambda n: (n.written_at, n.id))]

    async def mark_shown(self, note_ids: list[str], at: datetime) -> None:
        for note_id in note_ids:
            self.data.fishbowl_notes[note_id].shown_at = at


class MemoryActions:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, action: Action) -> None:
        if action.id in self.data.actions:
            raise clash()
        self.data.actions[action.id] = copy.deepcopy(action)
        if unique_clashes(self.data):  # the SQL store's unique (set, number), on flush
            raise clash()

    async def save(self, action: Action) -> None:
        self.data.actions[action.id] = copy.deepcopy(action)
        if unique_clashes(self.data):
            raise clash()

    async def get(self, set_id: str, number: int) -> Action | None:
        found = [a for a in self.data.actions.values() if (a.set_id, a.number) == (set_id, number)]
        return copy.deepcopy(found[0]) if found else None

    async def of_set(self, set_id: str) -> list[Action]:
        found = [a for a in self.data.actions.values() if a.set_id == set_id]
        return [copy.deepcopy(a) for a in sorted(found, key=lambda a: a.number)]

    async def next_number(self, set_id: str) -> int:
        return (
            max((a.number for a in self.data.actions.values() if a.set_id == set_id), default=0) + 1
        )


class MemoryLearningLog:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def add(self, entry: LearningLogEntry) -> None:
        self.data.learning_log.setdefault(entry.id, entry)

    async def of_author(self, author_id: str) -> list[LearningLogEntry]:
        found = [e for e in self.data.learning_log.values() if e.author_id == author_id]
        return sorted(found, key=lambda e: (e.written_at, e.id))


class MemoryNudges:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def of_member(self, member_id: str) -> list[ActionNudge]:
        found = [n for n in self.data.nudges.values() if n.member_id == member_id]
        return [copy.deepcopy(n) for n in sorted(found, key=lambda n: (n.at, n.id))]

    async def save(self, nudge: ActionNudge) -> None:
        self.data.nudges[nudge.id] = copy.deepcopy(nudge)

    async def delete(self, nudge_ids: list[str]) -> None:
        for nudge_id in nudge_ids:
            self.data.nudges.pop(nudge_id, None)


class MemoryReportBacks:
    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def save(self, report: ReportBack) -> None:
        self.data.report_backs[(report.action_id, report.meeting_id)] = copy.copy(report)

    async def get(self, action_id: str, meeting_id: str) -> ReportBack | None:
        return copy.copy(self.data.report_backs.get((action_id, meeting_id)))

    async def of_set(self, set_id: str) -> list[ReportBack]:
        found = [r for r in self.data.report_backs.values() if r.set_id == set_id]
        return [copy.copy(r) for r in sorted(found, key=lambda r: (r.answered_at, r.action_id))]


class MemoryPersonalData:
    """The fake's walk: every stored record (dataclass) with a person attribute by the
    same names as the SQL walk (`adapters.store.personal_data`), by collection."""

    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def export(self, user_id: str) -> dict[str, list[dict[str, object]]]:
        import dataclasses
        import re
        from datetime import datetime

        from adapters.store.personal_data import OTHER_PERSON, PERSON_NAMES

        def plain(value: object) -> object:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            if dataclasses.is_dataclass(value) and not isinstance(value, type):
                return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
            return value

        found: dict[str, list[dict[str, object]]] = {}
        for f in dataclasses.fields(self.data):
            records = getattr(self.data, f.name)
            if f.name in ("outbox", "handled") or not isinstance(records, dict):
                continue
            for record in records.values():
                if not dataclasses.is_dataclass(record) or isinstance(record, type):
                    continue
                names = [
                    n.name
                    for n in dataclasses.fields(record)
                    if re.match(PERSON_NAMES, n.name) or n.name in OTHER_PERSON
                ]
                if any(getattr(record, n) == user_id for n in names):
                    row = plain(record)
                    assert isinstance(row, dict)
                    found.setdefault(f.name, []).append(row)
        return found

    async def erase(self, user_id: str) -> dict[str, int]:
        """The fake's erasure, by the SQL walk's rules (`adapters.store.personal_data`)."""
        import dataclasses
        import re

        from adapters.store.personal_data import (
            ERASED,
            KEYS_OF_OWN_ROWS,
            OTHER_PERSON,
            PERSON_NAMES,
            REMOVED,
        )

        shared = {"contributions", "fishbowl_notes", "round_messages"}
        lists = {"inner", "agenda", "fishbowl"}
        changed: dict[str, int] = {}
        for f in dataclasses.fields(self.data):
            records = getattr(self.data, f.name)
            if f.name in ("outbox", "handled") or not isinstance(records, dict):
                continue
            for key, record in list(records.items()):
                if not dataclasses.is_dataclass(record) or isinstance(record, type):
                    continue
                names = {n.name for n in dataclasses.fields(record)}
                own = [n for n in names if re.match(PERSON_NAMES, n) or n in KEYS_OF_OWN_ROWS]
                if f.name in shared and getattr(record, "author_id", None) == user_id:
                    texts = {"text": REMOVED} if "text" in names else {}
                    records[key] = dataclasses.replace(record, author_id=ERASED, **texts)
                elif any(getattr(record, n) == user_id for n in own):
                    del records[key]
                else:
                    swaps: dict[str, object] = {
                        n: ERASED for n in names & OTHER_PERSON if getattr(record, n) == user_id
                    }
                    for n in names & lists:
                        ids = getattr(record, n)
                        if user_id in ids:
                            swaps[n] = tuple(ERASED if i == user_id else i for i in ids)
                    if not swaps:
                        continue
                    records[key] = dataclasses.replace(record, **swaps)  # type: ignore[arg-type]
                changed[f.name] = changed.get(f.name, 0) + 1
        return changed


class MemoryRetention:
    """The fake's retention: a closed set's records (those with its `set_id`) go."""

    def __init__(self, data: MemoryData) -> None:
        self.data = data

    async def sets_closed_before(self, cutoff: datetime) -> list[str]:
        return [
            s.id
            for s in self.data.sets.values()
            if s.closed_at is not None and s.closed_at < cutoff
        ]

    async def delete_set(self, set_id: str) -> int:
        import dataclasses

        deleted = 0
        for f in dataclasses.fields(self.data):
            records = getattr(self.data, f.name)
            if not isinstance(records, dict):
                continue
            for key, record in list(records.items()):
                if getattr(record, "set_id", None) == set_id or (
                    f.name == "sets" and getattr(record, "id", None) == set_id
                ):
                    del records[key]
                    deleted += 1
        return deleted

    async def purge_finished_work(self, cutoff: datetime) -> int:
        return 0  # the fake keeps no finished work (tests mark keys in `finished`)

    async def purge_deliveries(self, cutoff: datetime) -> int:
        return 0

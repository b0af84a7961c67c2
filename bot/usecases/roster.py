"""Creating a set, joining and leaving it, and reading its roster."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.commands import CreateSet, JoinSet, LeaveSet, ListMembers
from bot.errors import Conflict, GrammarError, NotAllowed
from bot.messages import Mention, Message, Outcome, Outgoing, Private, Section, Text
from bot.model import DEFAULT_TZ, LearningSet, PlaceKind, Role, Roster
from bot.parsing.words import no_words
from bot.permissions import ANYONE, F, G, M, P, Rule, S, Standing, X, change, read
from bot.usecases.agreement import agreement_sections
from bot.usecases.memberships import load_roster, save_membership
from bot.usecases.replies import private, public
from bot.usecases.sponsors import end_sponsorships_on_joining
from bot.verbs import Route, Turn, Usage, Verb

MIN_SET_SIZE, MAX_SET_SIZE = 4, 8
MAX_SET_NAME = 80


def parse_create(args: list[str]) -> c.Command:
    name = " ".join(args).strip()
    if len(name) > MAX_SET_NAME:
        raise GrammarError(f"A set name can be at most {MAX_SET_NAME} characters.")
    return CreateSet(name or None)


async def create_set(cmd: CreateSet, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    if ctx.place.kind is PlaceKind.PERSONAL:
        raise NotAllowed(
            "A set needs a channel or group chat; run `create` there, not in a 1:1 chat.",
            example="create Ward leaders 2026",
        )
    if turn.access.here is not None:
        raise Conflict("This place is already a set.", example="members")
    person = await uow.people.get(ctx.actor.user_id)
    tz = person.zone(DEFAULT_TZ) if person else DEFAULT_TZ  # the profile's zone, checked
    learning_set = LearningSet(
        id=uuid.uuid4().hex,
        place_id=ctx.place.id,
        platform=ctx.place.platform,
        name=cmd.name or "Action learning set",
        created_by=ctx.actor.user_id,
        created_at=now,
        tz=tz,
    )
    await uow.sets.add(learning_set)
    await save_membership(uow, Roster(learning_set.id, ()).create(ctx.actor.user_id, now))
    announce = Message.text(
        Mention(ctx.actor.user_id),
        f" made this place the set “{learning_set.name}” and facilitates it. "
        "Everyone here can `join`.",
    )
    return public(ctx, announce)


async def join_set(cmd: JoinSet, turn: Turn) -> Outcome:
    ctx, uow = turn.ctx, turn.uow
    learning_set = turn.access.learning_set
    roster = await load_roster(uow, learning_set, ctx.actor.user_id)
    if turn.access.standing is Standing.GUEST:
        return _guest_asks_to_join(turn, roster)
    await save_membership(uow, roster.join(ctx.actor.user_id, turn.now))
    ended = await end_sponsorships_on_joining(uow, learning_set, ctx.actor.user_id)
    welcome = Section(
        Text.of(
            f"Welcome to “{learning_set.name}”. You are member {len(roster.active())} of the set."
        )
    )
    agreement = await agreement_sections(uow, learning_set)
    finish = Section(Text.of("Type `agree` to accept it and complete your joining."))
    outcome = private(ctx, Message((welcome, *agreement, finish)))
    outcome += public(ctx, Message.text(Mention(ctx.actor.user_id), " joined the set."))
    return outcome + ended + size_advice_for_facilitators(roster, ctx.place.id)


def _guest_asks_to_join(turn: Turn, roster: Roster) -> Outcome:
    """A guest came for one meeting: joining the set is the facilitators' call, so the
    request waits for one of them to `add` the guest (nothing is stored meanwhile)."""
    guest = turn.ctx.actor.user_id
    asked = Message.text(
        "You are a guest of this set's meeting. Your wish to join is passed to its "
        "facilitators: it is pending until one of them adds you, and then you will be "
        "shown the set's agreement."
    )
    told = Message.text(
        Mention(guest),
        " came as a guest and would like to join the set. `add ",
        Mention(guest),
        "` takes them in (they then accept the agreement); otherwise nothing changes.",
    )
    return private(turn.ctx, asked) + Outcome(
        tuple(
            Outgoing(Private(m.user_id, turn.ctx.place.id), told)
            for m in roster.facilitators()
            if m.steers
        )
    )


def size_advice_for_facilitators(roster: Roster, place_id: str) -> Outcome:
    """When the roster leaves 4–8, tell the facilitators (privately) why it matters."""
    size = len(roster.active())
    if MIN_SET_SIZE <= size <= MAX_SET_SIZE:
        return Outcome()
    advice = Message.text(f"The set now has {size}. " + _size_advice(size))
    return Outcome(
        tuple(Outgoing(Private(m.user_id, place_id), advice) for m in roster.facilitators())
    )


async def leave_set(cmd: LeaveSet, turn: Turn) -> Outcome:
    learning_set = turn.access.learning_set
    roster = await load_roster(turn.uow, learning_set)
    await save_membership(turn.uow, roster.leave(turn.ctx.actor.user_id, turn.now))
    return private(turn.ctx, Message.text(f"You have left “{learning_set.name}”."))


async def list_members(cmd: ListMembers, turn: Turn) -> Outcome:
    uow, learning_set = turn.uow, turn.access.learning_set
    active = (await load_roster(uow, learning_set)).active()
    order = {Role.FACILITATOR: 0, Role.MEMBER: 1, Role.GUEST: 2}
    active.sort(key=lambda m: (order[m.role], m.joined_at))
    fields: list[tuple[str, Text]] = []
    for m in active:
        person = await uow.people.get(m.user_id)
        zone = person.zone(learning_set.tz) if person else learning_set.tz
        local = turn.now.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        label = m.role.value + (" (not yet agreed)" if m.agreed_at is None else "")
        fields.append((label, Text.of(Mention(m.user_id), f" — {local} ({zone})")))
    header = Text.of(f"“{learning_set.name}” has {len(active)} {_people(len(active))}.")
    blocks: list[Section] = [Section(header, tuple(fields))]
    if not MIN_SET_SIZE <= len(active) <= MAX_SET_SIZE:
        blocks.append(Section(Text.of(_size_advice(len(active)))))
    return private(turn.ctx, Message(tuple(blocks)))


def _people(n: int) -> str:
    return "person" if n == 1 else "people"


def _size_advice(n: int) -> str:
    if n < MIN_SET_SIZE:
        return (
            f"Sets work best with {MIN_SET_SIZE}–{MAX_SET_SIZE} people: with fewer, "
            "there are not enough questioners for each presenter."
        )
    return (
        f"Sets work best with {MIN_SET_SIZE}–{MAX_SET_SIZE} people: with more, "
        "each presenter gets too little airtime. Consider two sets, or a fishbowl."
    )


VERBS = (
    Verb(
        "create",
        parse_create,
        Usage(
            "create [name]",
            "make this channel or group chat a set; you become its facilitator",
            "create Ward leaders 2026",
        ),
        (Route(CreateSet, Rule(ANYONE, needs_set=False), create_set),),
    ),
    Verb(
        "join",
        no_words("join", JoinSet),
        Usage("join", "join this place's set (you will be shown its agreement)", "join"),
        (Route(JoinSet, change(F, M, P, G, S, X), join_set),),
    ),
    Verb(
        "leave",
        no_words("leave", LeaveSet),
        Usage("leave", "leave this place's set", "leave"),
        (Route(LeaveSet, read(F, M, P), leave_set),),
    ),
    Verb(
        "members",
        no_words("members", ListMembers),
        Usage("members", "the roster with roles and local times", "members"),
        (Route(ListMembers, read(F, M), list_members),),
    ),
)

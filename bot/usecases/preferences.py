"""`settings` (a person's own preferences) and `options` (the set's, facilitator only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.commands import Options, Settings, ShowOptions
from bot.errors import NotFound
from bot.messages import Inline, Mention, Message, Moment, Outcome, Section, Text
from bot.model import DEFAULT_TZ, LearningSet, PersonSettings, SetOptions
from bot.parsing.dates import resolve_date
from bot.parsing.preferences import parse_options, parse_settings
from bot.parsing.words import WEEKDAYS
from bot.permissions import PERSONAL, F, M, P, Standing, change, read
from bot.usecases.nudge_plan import keep_member_nudges
from bot.usecases.replies import options_of, private, public
from bot.usecases.weekly_checkin import plan_checkins
from bot.verbs import Route, Turn, Usage, Verb
from bot.working_time import crosses_midnight

ON_THE_ROSTER: frozenset[Standing] = frozenset({F, M, P})

PHASES = ("present", "questions", "reflect", "commit", "resonance")


async def update_settings(cmd: Settings, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    # The set's zone is the set's business: shown (and used as the fallback) only to
    # its members, not to a guest, a sponsor or an outsider speaking in its place.
    learning_set = turn.access.here if turn.access.standing in ON_THE_ROSTER else None
    person = await uow.people.get(ctx.actor.user_id)
    assert person is not None  # the dispatcher remembers every speaker first
    mine = await uow.person_settings.get(ctx.actor.user_id) or PersonSettings(ctx.actor.user_id)
    if not cmd.is_query:
        if cmd.tz:
            person.tz = cmd.tz
            await uow.people.save(person)
        mine = _apply(mine, cmd)
        if cmd.away_until:
            zone = person.zone(learning_set.tz if learning_set else DEFAULT_TZ)
            day = resolve_date(
                cmd.away_until, tz=zone, now=now, example="settings away until 10 Dec"
            )
            mine.away_until = datetime.combine(day, time(0), ZoneInfo(zone))
        await uow.person_settings.save(mine)
        await keep_member_nudges(uow, ctx.actor.user_id, now)  # zone, hours, away, nudges
    fallback = learning_set.tz if learning_set else DEFAULT_TZ
    source = (
        "your setting"
        if person.tz
        else "your chat profile"
        if person.platform_tz
        else "the set's"
        if learning_set
        else "the default"
    )
    title = "Your settings:" if cmd.is_query else "Saved. Your settings now:"
    fields: list[tuple[str, Text]] = [
        ("time zone", Text.of(f"{person.zone(fallback)} (from {source})")),
        *_settings_fields(mine),
    ]
    return private(ctx, Message((Section(Text.of(title), tuple(fields)),)))


def _apply(mine: PersonSettings, cmd: Settings) -> PersonSettings:
    changes: dict[str, Any] = {
        "hours": cmd.hours,
        "days": cmd.days,
        "language": cmd.language,
        "nudges": cmd.nudges,
        "coaching": cmd.coaching,
    }
    return replace(mine, **{k: v for k, v in changes.items() if v is not None})


def _settings_fields(mine: PersonSettings) -> list[tuple[str, Text]]:
    hours = "-".join(f"{t:%H:%M}" for t in mine.hours) if mine.hours else "not set (09:00-17:00)"
    if mine.hours and crosses_midnight(mine.hours):
        hours += " (overnight: each shift belongs to the day it starts)"
    days = _days(mine.days) if mine.days else "not set (mon-fri)"
    away: tuple[Inline, ...] = (
        ("until ", Moment(mine.away_until, "date")) if mine.away_until else ("no",)
    )
    return [
        ("working hours", Text.of(hours)),
        ("working days", Text.of(days)),
        ("language", Text.of(mine.language or "not set (en)")),
        ("nudges", Text.of("on" if mine.nudges else "off")),
        ("coaching", Text.of("on" if mine.coaching else "off")),
        ("away", Text.of(*away)),
    ]


def _days(days: tuple[int, ...]) -> str:
    return ",".join(WEEKDAYS[d][:3] for d in days)


async def show_options(cmd: ShowOptions, turn: Turn) -> Outcome:
    learning_set = turn.access.learning_set
    options = await options_of(turn.uow, learning_set.id)
    return private(turn.ctx, _options_message("The set's options:", learning_set, options))


async def update_options(cmd: Options, turn: Turn) -> Outcome:
    ctx, uow = turn.ctx, turn.uow
    learning_set = turn.access.learning_set
    options = await options_of(uow, learning_set.id)
    if cmd.fishbowl:
        for user_id in cmd.fishbowl:
            member = await uow.memberships.get(learning_set.id, user_id)
            if member is None or not member.active:
                raise NotFound(
                    "The fishbowl's inner set must be members of this set.", example="members"
                )
    if cmd.tz:
        learning_set.tz = cmd.tz
        await uow.sets.save(learning_set)
    changes: dict[str, Any] = {
        k: getattr(cmd, k)
        for k in ("format", "live", "checkin", "coaching", "fishbowl", "language")
        if getattr(cmd, k) is not None
    }
    options = replace(options, **changes)
    await uow.set_options.save(options)
    if isinstance(cmd.checkin, int):
        await plan_checkins(uow, learning_set, turn.now)
    announce = Message.text(Mention(ctx.actor.user_id), " changed the set's options.")
    return public(ctx, announce) + private(
        ctx, _options_message("The set's options now:", learning_set, options)
    )


def _options_message(title: str, learning_set: LearningSet, options: SetOptions) -> Message:
    live = (
        ", ".join(f"{p} {n}m" for p, n in zip(PHASES, options.live, strict=True))
        if options.live
        else "not set"
    )
    checkin = (
        "opens each meeting"
        if options.checkin is None
        else "off"
        if options.checkin == "off"
        else f"each {WEEKDAYS[options.checkin].capitalize()} morning, privately to each member"
    )
    fishbowl: tuple[Inline, ...] = (
        tuple(p for u in options.fishbowl for p in (Mention(u), " "))
        if options.fishbowl
        else ("off",)
    )
    fields = (
        (
            "format",
            Text.of(
                "each member's own challenge" if options.format == "own" else "one shared challenge"
            ),
        ),
        ("live timings", Text.of(live)),
        ("check-in", Text.of(checkin)),
        ("coaching", Text.of("on" if options.coaching else "off")),
        ("fishbowl", Text.of(*fishbowl)),
        ("language", Text.of(options.language or "en")),
        ("time zone", Text.of(learning_set.tz)),
    )
    return Message((Section(Text.of(title), fields),))


VERBS = (
    Verb(
        "settings",
        parse_settings,
        Usage(
            "settings [tz Area/City] [hours HH:MM-HH:MM] [days mon-fri] [language xx] "
            "[nudges on|off] [coaching on|off] [away until DATE]",
            "your preferences; no words shows them",
            "settings tz America/New_York hours 09:00-17:30 days mon-thu",
            (
                "Working hours may cross midnight (`hours 22:00-06:00`, a night shift): each "
                "shift belongs to the day it starts.",
                "A part that cannot be read refuses the whole command: nothing is saved.",
            ),
        ),
        (Route(Settings, PERSONAL, update_settings),),
    ),
    Verb(
        "options",
        parse_options,
        Usage(
            "options [format own|shared] [live P/Q/R/C/S] [checkin off|DAY] "
            "[coaching on|off] [fishbowl @a @b … | off] [language xx] [tz Area/City]",
            "set-level options (facilitator); no words shows them",
            "options format own live 10/20/5/5/10 tz Europe/London",
            (
                "`format shared`: the set works on one challenge (a facilitator writes it with "
                "`challenge TEXT`) and rounds rotate who leads.",
                "`fishbowl @a @b …` names the inner set: in each round the other members are "
                "the outer ring, who write to Revans privately (`note TEXT`) and are heard, "
                "without names, at resonance. `fishbowl off` ends it; a round keeps the rings "
                "it started with.",
            ),
        ),
        (
            Route(ShowOptions, read(F), show_options),
            Route(Options, change(F), update_options),
        ),
    ),
)

"""Usage text for each verb, with a correct example (also used in error answers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    verb: str
    form: str
    summary: str
    example: str
    details: tuple[str, ...] = ()


SCHEDULE_RULES = (
    "Times are wall-clock times in the set's time zone (or the zone you name) and stay "
    "there across daylight-saving changes: a fortnightly 14:00 meeting is at 14:00 local "
    "in summer and in winter.",
    "A local time that does not exist (the hour skipped when clocks go forward) moves "
    "forward by the gap: 01:30 on that night becomes 02:30.",
    "A local time that happens twice (the hour repeated when clocks go back) means the "
    "first of the two.",
    "A series without `for N meetings` is planned for 12 meetings or 6 months, whichever "
    "comes first; at most 26 meetings at once.",
    "An hour before each meeting the bot posts a reminder here, with the number of airtime "
    "bids so far (a meeting planned less than an hour ahead gets none).",
)

USAGES: dict[str, Usage] = {
    u.verb: u
    for u in (
        Usage("help", "help [topic]", "usage, with examples", "help schedule"),
        Usage(
            "create",
            "create [name]",
            "make this channel or group chat a set; you become its facilitator",
            "create Ward leaders 2026",
        ),
        Usage("join", "join", "join this place's set (you will be shown its agreement)", "join"),
        Usage("leave", "leave", "leave this place's set", "leave"),
        Usage("agree", "agree", "accept the set's agreement and complete your joining", "agree"),
        Usage(
            "agreement",
            "agreement [TEXT]",
            "show the set's agreement; a facilitator can replace it",
            'agreement "What is said here stays here. Questions before advice."',
        ),
        Usage("members", "members", "the roster with roles and local times", "members"),
        Usage(
            "add",
            "add @a @b … [as member|facilitator]",
            "add people to the set (facilitator); `as facilitator` hands facilitation on",
            "add @sam @lee as member",
        ),
        Usage("remove", "remove @a", "take someone off the roster (facilitator)", "remove @sam"),
        Usage(
            "invite",
            "invite @a [for next meeting]",
            "a guest for the next meeting only (facilitator)",
            "invite @expert for next meeting",
        ),
        Usage(
            "challenge",
            "challenge [TEXT]",
            "set or revise your challenge (no text: a form); every revision is kept",
            'challenge "Getting two wards to share one rota"',
        ),
        Usage(
            "goal",
            "goal [TEXT]",
            "set or revise your development goal (no text: a form)",
            "goal handle conflict without withdrawing",
        ),
        Usage(
            "sponsor",
            "sponsor @a",
            "link your sponsor; they are not added to the set and see only what you share",
            "sponsor @director",
        ),
        Usage(
            "schedule",
            "schedule · schedule every N weeks on DAY at HH:MM [TZ] [for N meetings] · "
            "schedule DATE HH:MM [TZ] · schedule cancel N",
            "list meetings in your time; plan meetings (facilitator)",
            "schedule every 2 weeks on Tuesday at 14:00 Europe/London for 8 meetings",
            SCHEDULE_RULES,
        ),
        Usage(
            "bid",
            "bid [Nm] [note]",
            "bid for airtime at the next meeting",
            "bid 20m the rota stalemate",
        ),
        Usage(
            "meeting",
            "meeting start | end",
            "open or close a meeting (facilitator)",
            "meeting start",
        ),
        Usage(
            "round",
            "round start [@presenter] [live Nm | async Nh|Nd] · "
            "round next|pause|resume|extend N(m|h|d)|end · round status",
            "steer a round (facilitator) · see it",
            "round start @amara live 45m",
        ),
        Usage(
            "commit",
            "commit TEXT [by DATE]",
            "commit to an action",
            "commit talk to the rota team by next Friday",
        ),
        Usage("actions", "actions [mine | all | @a]", "list actions", "actions all"),
        Usage("done", "done N [note]", "mark your action N done", "done 2 agreed a pilot"),
        Usage("progress", "progress N note", "note progress on action N", "progress 2 met them"),
        Usage("drop", "drop N [reason]", "drop action N", "drop 2 no longer relevant"),
        Usage(
            "share",
            "share N [note] · share meeting [note]",
            "send your sponsor an action's progress or your meeting summary",
            "share 2",
        ),
        Usage("report", "report", "participation, question mix, follow-through", "report"),
        Usage("log", "log TEXT · log export", "your private learning log", "log I rushed in"),
        Usage(
            "settings",
            "settings [tz Area/City] [hours HH:MM-HH:MM] [days mon-fri] [language xx] "
            "[nudges on|off] [coaching on|off] [away until DATE]",
            "your preferences; no words shows them",
            "settings tz America/New_York hours 09:00-17:30 days mon-thu",
        ),
        Usage(
            "options",
            "options [format own|shared] [live P/Q/R/C/S] [checkin off|DAY] "
            "[coaching on|off] [fishbowl @a @b …] [language xx] [tz Area/City]",
            "set-level options (facilitator); no words shows them",
            "options format own live 10/20/5/5/10 tz Europe/London",
        ),
        Usage(
            "close",
            "close",
            "end the set: it becomes read-only and its retention period starts (facilitator)",
            "close",
        ),
        Usage("mydata", "mydata export | erase", "your data, portable; or gone", "mydata export"),
    )
}


def example_for(verb: str, *, command_prefix: str = "") -> str:
    usage = USAGES.get(verb)
    return f"{command_prefix}{usage.example}" if usage else f"{command_prefix}help"


def help_text(topic: str | None = None) -> list[str]:
    """Lines of help: one verb in full, or every verb in brief."""
    if topic and topic in USAGES:
        u = USAGES[topic]
        return [f"{u.form} — {u.summary}", *u.details, f"Example: {u.example}"]
    lines = ["Revans runs action learning sets. Commands:"]
    lines += [f"• {u.form} — {u.summary} (e.g. `{u.example}`)" for u in USAGES.values()]
    if topic:
        lines.insert(0, f"There is no help topic “{topic}”.")
    return lines

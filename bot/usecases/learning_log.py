"""The private learning log: each person's own notes, shown to nobody else.

`log TEXT` keeps a note for the speaker alone (a facilitator's reflective log for
accreditation is the same log); the answer is private and the text is never posted in a
place, shown to another person or logged. An entry belongs to the set it was written
in (by a member of it), or, in a 1:1 chat, to the speaker's one set if they are in
exactly one; otherwise to no set. `log export` is in `bot.usecases.log_export`.

When a meeting closes, each of the set's facilitators is asked privately for a reflective
entry (`reflection_prompts`, queued with the closing itself).
"""

from __future__ import annotations

import uuid

from bot import commands as c
from bot.messages import Direct, Message, Moment, Outcome, Outgoing
from bot.model import EntryKind, HeldMeeting, LearningLogEntry, LearningSet, PlaceKind, Role
from bot.parsing.personal import parse_log
from bot.permissions import PERSONAL
from bot.ports import UnitOfWork
from bot.usecases.log_export import export_log
from bot.usecases.replies import private
from bot.verbs import Route, Turn, Usage, Verb

KEPT = "Kept in your learning log; only you can read it. `log export` sends you the whole log."


async def log_set(turn: Turn) -> str | None:
    """The set a log entry (or check-in answer) belongs to: the set here if the speaker
    is in it, else, in a 1:1 chat, their only set; else none."""
    if turn.access.membership is not None:
        return turn.access.membership.set_id
    if turn.ctx.place.kind is not PlaceKind.PERSONAL:
        return None
    sets = {m.set_id for m in await turn.uow.memberships.of_user(turn.ctx.actor.user_id)}
    return sets.pop() if len(sets) == 1 else None


async def keep_entry(turn: Turn, kind: EntryKind, text: str) -> LearningLogEntry:
    entry = LearningLogEntry(
        f"log:{uuid.uuid4().hex}",
        turn.ctx.actor.user_id,
        kind,
        text,
        turn.now,
        await log_set(turn),
    )
    await turn.uow.learning_log.add(entry)
    return entry


async def add_entry(cmd: c.LogEntry, turn: Turn) -> Outcome:
    await keep_entry(turn, EntryKind.NOTE, cmd.text)
    return private(turn.ctx, Message.text(KEPT))


def reflection_prompt(learning_set: LearningSet, meeting: HeldMeeting) -> Message:
    return Message.text(
        f"The meeting of “{learning_set.name}” that opened ",
        Moment(meeting.opened_at),
        " has closed. For your reflective log (the one "
        "facilitators keep for accreditation): what did you notice about how the set worked "
        "today, and about your own facilitation? What will you do differently? Write "
        "`log YOUR REFLECTION` here; only you will read it.",
    )


async def reflection_prompts(
    uow: UnitOfWork, learning_set: LearningSet, meeting: HeldMeeting
) -> Outcome:
    """A private prompt to each facilitator of the set who has agreed, after `meeting`."""
    facilitators = [
        m.user_id
        for m in await uow.memberships.list_active(learning_set.id)
        if m.role is Role.FACILITATOR and m.agreed_at is not None
    ]
    prompt = reflection_prompt(learning_set, meeting)
    return Outcome(tuple(Outgoing(Direct(user_id), prompt) for user_id in facilitators))


VERBS = (
    Verb(
        "log",
        parse_log,
        Usage(
            "log TEXT · log export",
            "your private learning log",
            "log I rushed in",
            (
                "Only you can read your log: entries are answered privately and never "
                "shown in the set. Facilitators keep their reflective log here too.",
                "`log export` sends you your log, your actions and your check-in answers "
                "as a Markdown file for your portfolio.",
            ),
        ),
        (
            Route(c.LogEntry, PERSONAL, add_entry),
            Route(c.LogExport, PERSONAL, export_log),
        ),
    ),
)

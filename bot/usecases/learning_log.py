"""The private learning log: each person's own notes, shown to nobody else.

`log TEXT` keeps a note for the speaker alone (a facilitator's reflective log for
accreditation is the same log); the answer is private and the text is never posted in a
place, shown to another person or logged. An entry belongs to the set it was written
in (by a member of it), or, in a 1:1 chat, to the speaker's one set if they are in
exactly one; otherwise to no set. `log export` is in `bot.usecases.log_export`.
"""

from __future__ import annotations

import uuid

from bot import commands as c
from bot.messages import Message, Outcome
from bot.model import EntryKind, LearningLogEntry, PlaceKind
from bot.parsing.personal import parse_log
from bot.permissions import PERSONAL
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

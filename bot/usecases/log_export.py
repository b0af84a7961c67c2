"""`log export`: a person's learning log as a Markdown file for their portfolio.

The file holds what is the speaker's own: their log entries (a facilitator's reflective
log too), their answers to the weekly check-in and the actions they committed to in
their sets, with progress notes and how each ended. It is sent to them alone, through
the platform's file path (`bot.messages.Attachment`: Slack's upload into their DM, a
Teams file consent card in their 1:1), never to a place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.messages import Attachment, Message, Outcome, Outgoing, Private
from bot.model import Action, EntryKind, LearningLogEntry, LearningSet
from bot.ports import UnitOfWork
from bot.usecases.replies import speaker_zone
from bot.verbs import Turn

CHECKIN_LABELS = {
    EntryKind.CHECKIN_STEPS: "Steps I took last week",
    EntryKind.CHECKIN_NEXT: "What I will focus on next week",
}


async def export_log(cmd: c.LogExport, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    user_id = ctx.actor.user_id
    zone = await speaker_zone(uow, ctx, turn.access.here)
    entries = await uow.learning_log.of_author(user_id)
    sets = await _sets_of(uow, user_id, entries)
    actions = [
        a for s in sets.values() for a in await uow.actions.of_set(s.id) if a.owner_id == user_id
    ]
    person = await uow.people.get(user_id)
    name = person.display_name if person else ctx.actor.display_name
    markdown = render_log(name, entries, actions, sets, zone=zone, now=now)
    filename = f"learning-log-{now.astimezone(ZoneInfo(zone)):%Y-%m-%d}.md"
    count = len(entries)
    message = Message.text(
        f"Here is your learning log as a Markdown file ({count} "
        f"entr{'y' if count == 1 else 'ies'}, {len(actions)} action"
        f"{'' if len(actions) == 1 else 's'}). Only you have been sent it.",
    )
    attached = Message(message.blocks, attachment=Attachment(filename, markdown.encode()))
    return Outcome((Outgoing(Private(user_id, ctx.place.id), attached),))


async def _sets_of(
    uow: UnitOfWork, user_id: str, entries: list[LearningLogEntry]
) -> dict[str, LearningSet]:
    """The sets the person is in now, and those their entries were written for."""
    ids = {m.set_id for m in await uow.memberships.of_user(user_id)}
    ids |= {e.set_id for e in entries if e.set_id}
    found = {}
    for set_id in sorted(ids):
        learning_set = await uow.sets.get(set_id)
        if learning_set is not None:
            found[set_id] = learning_set
    return found


def render_log(
    name: str,
    entries: list[LearningLogEntry],
    actions: list[Action],
    sets: dict[str, LearningSet],
    *,
    zone: str,
    now: datetime,
) -> str:
    """The Markdown of the export: notes, check-ins, then actions; times in `zone`."""

    def when(at: datetime) -> str:
        return f"{at.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"

    def where(set_id: str | None) -> str:
        return f" · {sets[set_id].name}" if set_id in sets else ""

    lines = [f"# Learning log — {name}", "", f"Exported {when(now)} ({zone}).", ""]
    notes = [e for e in entries if e.kind is EntryKind.NOTE]
    lines += ["## Log entries", ""]
    for entry in notes:
        lines += [f"### {when(entry.written_at)}{where(entry.set_id)}", "", *_quoted(entry.text)]
    if not notes:
        lines += ["No entries yet.", ""]
    checkins = [e for e in entries if e.kind in CHECKIN_LABELS]
    lines += ["## Weekly check-ins", ""]
    for entry in checkins:
        label = CHECKIN_LABELS[entry.kind]
        heading = f"### {when(entry.written_at)}{where(entry.set_id)}: {label}"
        lines += [heading, "", *_quoted(entry.text)]
    if not checkins:
        lines += ["No check-in answers yet.", ""]
    lines += ["## My actions", ""]
    for action in actions:
        lines += _action_lines(action, sets, when)
    if not actions:
        lines += ["No actions yet.", ""]
    return "\n".join(lines)


def _action_lines(
    action: Action, sets: dict[str, LearningSet], when: Callable[[datetime], str]
) -> list[str]:
    set_name = sets[action.set_id].name if action.set_id in sets else "a set"
    lines = [f"### Action {action.number} · {set_name} ({action.status.value})", ""]
    lines += _quoted(action.text)
    facts = [f"- committed {when(action.created_at)}"]
    if action.due_at is not None:
        facts.append(f"- due {when(action.due_at)}")
    for note in action.notes:
        facts.append(f"- progress {when(note.at)}: {_one_line(note.text)}")
    if action.closed_at is not None:
        closing = f": {_one_line(action.closing_note)}" if action.closing_note else ""
        facts.append(f"- {action.status.value} {when(action.closed_at)}{closing}")
    return [*lines, *facts, ""]


def _quoted(text: str) -> list[str]:
    """Text as a Markdown block quote (each line kept), then a blank line."""
    return [f"> {line}" if line else ">" for line in text.splitlines() or [""]] + [""]


def _one_line(text: str) -> str:
    return " ".join(text.split())

"""A fishbowl round's outer ring: notes written to the bot privately, held until the
round reaches resonance, then shown in the set's place without their authors' names.

A member in the outer ring (`Round.in_outer_ring`) writes a note with `note TEXT`
(a 1:1 chat with Revans, or Slack's `/set note …`, which only they see) or, where the
platform sends the bot direct messages as events (a Slack DM), by simply writing to
the bot. The note is set content: stored to be shown, never logged. Entering
resonance (by time or `round next`) shows every note held, in one post; a note
written during resonance is shown at once; a round ended before resonance shows what
it held as it ends. Nothing is shown anywhere but the round's own set's place.

In the questions phase, an outer-ring member's message in the round's thread is not
counted as a question (`round_contributions`); they are told privately, once, where
their thoughts go instead (`outer_ring_reminder`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.commands import Command
from bot.commands import FishbowlNote as Note
from bot.errors import GrammarError, NotFound
from bot.events import MessagePosted
from bot.messages import Direct, Message, Outcome, Outgoing, Private, Public, Section, Text
from bot.model import FishbowlNote, LearningSet, Phase, Round
from bot.parsing.words import free_text
from bot.permissions import PERSONAL
from bot.ports import UnitOfWork
from bot.usecases.replies import private
from bot.verbs import Route, Turn, Usage, Verb

EXAMPLE = "note I felt the room tense up each time the budget came up"
SHOWN_AT = (Phase.RESONANCE, Phase.CLOSED)


def parse_note(args: list[str]) -> Command:
    text = free_text(args, "note")
    if text is None:
        raise GrammarError("Write your note after `note`.")
    return Note(text)


async def take_note(cmd: Note, turn: Turn) -> Outcome:
    """`note TEXT`: held for the fishbowl round whose outer ring the speaker is in."""
    author = turn.ctx.actor.user_id
    candidates = [turn.access.here] if turn.access.here else None
    found = await outer_ring_round(turn.uow, author, candidates)
    if isinstance(found, str):
        raise NotFound(found, example=EXAMPLE)
    round_, learning_set = found
    note_id = f"note:{uuid.uuid4().hex}"
    return await hold(turn.uow, round_, learning_set, author, cmd.text, note_id, turn.now) + (
        private(turn.ctx, _held_message(round_, learning_set))
    )


async def hold_direct(event: MessagePosted, uow: UnitOfWork, now: datetime) -> Outcome:
    """A message written to the bot in a 1:1 chat: a note, if its author is in a
    fishbowl's outer ring now; otherwise nothing (and nothing stored)."""
    author = event.author.user_id
    found = await outer_ring_round(uow, author, None)
    if isinstance(found, str):
        return Outcome()
    round_, learning_set = found
    text = event.text.strip()
    if text.lower().startswith("note "):
        text = text[len("note ") :].strip()
    if not text:
        return Outcome()
    note_id = f"dm:{event.place.id}:{event.message_id}"
    told = Outcome((Outgoing(Direct(author), _held_message(round_, learning_set)),))
    return await hold(uow, round_, learning_set, author, text, note_id, now) + told


async def outer_ring_round(
    uow: UnitOfWork, user_id: str, sets: list[LearningSet] | None
) -> tuple[Round, LearningSet] | str:
    """The running fishbowl round (among `sets`, or all the person's sets) whose outer
    ring `user_id` is in, or why there is none."""
    if sets is None:
        sets = [
            s for m in await uow.memberships.of_user(user_id) if (s := await uow.sets.get(m.set_id))
        ]
    found, inside = [], False
    for learning_set in sets:
        round_ = await uow.rounds.open_in(learning_set.id)
        membership = await uow.memberships.get(learning_set.id, user_id)
        if round_ is None or not round_.is_fishbowl or membership is None or not membership.active:
            continue
        if round_.in_outer_ring(user_id):
            found.append((round_, learning_set))
        inside = inside or not round_.in_outer_ring(user_id)
    if len(found) == 1:
        return found[0]
    if found:
        return (
            "You are in the outer ring of rounds in more than one set: write your note with "
            "the set's command in its own place (in Slack, `/set note …` is seen by you alone)."
        )
    if inside:
        return "You are in this round's inner set: ask your questions in the round's thread."
    return (
        "Notes are for a fishbowl's outer ring while a round runs, and no round has you "
        "in its outer ring now."
    )


async def hold(
    uow: UnitOfWork,
    round_: Round,
    learning_set: LearningSet,
    author_id: str,
    text: str,
    note_id: str,
    now: datetime,
) -> Outcome:
    """Store the note; in resonance it is shown at once."""
    await uow.fishbowl_notes.add(
        FishbowlNote(note_id, round_.id, learning_set.id, author_id, text, now)
    )
    return await show_held(uow, round_, learning_set.place_id, now)


def _held_message(round_: Round, learning_set: LearningSet) -> Message:
    when = "now" if round_.phase is Phase.RESONANCE else "when the round reaches resonance"
    return Message.text(
        f"Thank you. Your note is shared in “{learning_set.name}” {when}, without your name."
    )


async def show_held(uow: UnitOfWork, round_: Round, place_id: str, now: datetime) -> Outcome:
    """Once the round is in resonance (or has ended), show the notes not yet shown, in
    the round's own place, unattributed, and mark them shown."""
    if not round_.is_fishbowl or round_.phase not in SHOWN_AT:
        return Outcome()
    notes = [n for n in await uow.fishbowl_notes.of_round(round_.id) if n.shown_at is None]
    if not notes:
        return Outcome()
    await uow.fishbowl_notes.mark_shown([n.id for n in notes], now)
    return _shown(notes, place_id)


async def show_again(uow: UnitOfWork, round_: Round, place_id: str) -> Outcome:
    """The notes shown by the round's last change, shown again (its announcement is
    being re-sent after a failed send)."""
    at = round_.closed_at if not round_.is_open else round_.phase_started_at
    notes = [n for n in await uow.fishbowl_notes.of_round(round_.id) if n.shown_at == at]
    return _shown(notes, place_id) if notes and round_.phase in SHOWN_AT else Outcome()


def _shown(notes: list[FishbowlNote], place_id: str) -> Outcome:
    head = Text.of("From the outer ring, shared without names:")
    message = Message((Section(head), *(Section(Text.of(f"“{n.text}”")) for n in notes)))
    return Outcome((Outgoing(Public(place_id), message),))


async def outer_ring_reminder(
    uow: UnitOfWork, round_: Round, event: MessagePosted, learning_set: LearningSet
) -> Outcome:
    """Told privately, once per round: in a fishbowl, the outer ring writes to the bot."""
    if event.thread_id is not None:
        mine = [
            c
            for c in await uow.contributions.list_thread(event.place.id, event.thread_id)
            if c.author_id == event.author.user_id and c.posted_at >= round_.started_at
        ]
        if len(mine) > 1:
            return Outcome()
    text = Message.text(
        f"Thank you for joining in. In this fishbowl round of “{learning_set.name}”, the inner "
        "set asks the questions and the outer ring's thoughts come in at resonance. Write "
        "yours to me privately — `note TEXT` in your chat with me (in Slack, `/set note …` "
        "or a direct message) — and I will share it, without your name, at resonance. "
        "Your message stays in the thread; it is not counted as a question."
    )
    return Outcome((Outgoing(Private(event.author.user_id, event.place.id), text),))


VERBS = (
    Verb(
        "note",
        parse_note,
        Usage(
            "note TEXT",
            "in a fishbowl's outer ring: a note for the set, shown without your name at resonance",
            EXAMPLE,
            (
                "When a facilitator names an inner set (`options fishbowl @a @b …`), the other "
                "members form the outer ring of each round: they listen, and write what they "
                "notice to Revans privately — `note TEXT` in a 1:1 chat with Revans, or in "
                "Slack `/set note …` (only you see it) or simply a direct message to Revans.",
                "Notes are held and shown together, without names, in the set's place when the "
                "round reaches resonance; during resonance a note is shown at once. "
                "`options fishbowl off` ends the fishbowl.",
            ),
        ),
        (Route(Note, PERSONAL, take_note),),
    ),
)

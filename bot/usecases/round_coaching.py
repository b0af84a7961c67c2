"""The question coach in a round's questions phase: a kind private note to the asker.

When a listener's question in the questions phase reads, surely enough
(`Assessment.coaches`), as closed, leading or advice, its asker alone is told so kindly,
with one open reframing of their own question (`Private`: Slack ephemeral, Teams 1:1).
An open question gets nothing, except once a meeting a word of encouragement to a member
the coach noted earlier in that meeting. A member gets at most one note per `GAP`; the
presenter is never coached; nothing is coached outside the questions phase; members
(`settings coaching off`) and facilitators (`options coaching off`) turn it off.

No record of notes is kept: which notes a member had is worked out again from their
earlier questions in the meeting (their texts and times, read here and going nowhere),
so the policy needs no table and the counts of the question mix stay counts only. The
note is part of the contribution's outcome, so it is sent exactly once with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.coach import Kind, assess
from bot.events import MessagePosted
from bot.messages import Message, Outcome, Outgoing, Private
from bot.model import LearningSet, MessageRole, Phase, Round
from bot.ports import UnitOfWork

GAP = timedelta(minutes=5)
"""At most one note per member in this span."""

ENCOURAGE = (
    "That was an open question — thank you. It gives the presenter room to think. "
    "(Only you see this; `settings coaching off` turns these notes off.)"
)


def note_for(text: str) -> str | None:
    """The private note for a question the coach would coach, or None."""
    verdict = assess(text)
    if not verdict.coaches or verdict.suggestion is None:
        return None
    what = {
        Kind.CLOSED: "could be answered in a word",
        Kind.LEADING: "may carry a suggestion inside it",
        Kind.ADVICE: "reads as advice",
    }[verdict.kind]
    return (
        f"A thought, just for you: your question {what}. An open question leaves the "
        f"presenter more room to think — for example: “{verdict.suggestion}” "
        "(Only you see this; `settings coaching off` turns these notes off.)"
    )


async def coach_question(
    uow: UnitOfWork,
    learning_set: LearningSet,
    round_: Round,
    event: MessagePosted,
    now: datetime,
) -> Outcome:
    author = event.author.user_id
    if round_.phase is not Phase.QUESTIONS or author == round_.presenter_id:
        return Outcome()
    options = await uow.set_options.get(learning_set.id)
    if options is not None and not options.coaching:
        return Outcome()
    settings = await uow.person_settings.get(author)
    if settings is not None and not settings.coaching:
        return Outcome()
    last_note, coached, encouraged = await _notes_so_far(uow, round_, author, event.message_id)
    if last_note is not None and now - last_note < GAP:
        return Outcome()
    note = note_for(event.text)
    if note is None and coached and not encouraged and assess(event.text).kind is Kind.OPEN:
        note = ENCOURAGE
    if note is None:
        return Outcome()
    to = Private(author, event.place.id, event.thread_id)
    return Outcome((Outgoing(to, Message.text(note)),))


async def _notes_so_far(
    uow: UnitOfWork, round_: Round, author: str, current: str
) -> tuple[datetime | None, bool, bool]:
    """When the member's last note was, whether they were coached and whether encouraged,
    earlier in this meeting: the policy replayed over their earlier questions."""
    last: datetime | None = None
    coached = encouraged = False
    rounds = await uow.rounds.of_meeting(round_.meeting_id) if round_.meeting_id else [round_]
    for earlier in rounds or [round_]:
        for message in await uow.round_messages.of_round(earlier.id):
            if (
                message.author_id != author
                or message.role is not MessageRole.QUESTION
                or message.message_id == current
            ):
                continue
            if last is not None and message.posted_at - last < GAP:
                continue
            found = await uow.contributions.get(message.place_id, message.message_id)
            if found is None:
                continue
            if note_for(found.text) is not None:
                last, coached = message.posted_at, True
            elif coached and not encouraged and assess(found.text).kind is Kind.OPEN:
                last, encouraged = message.posted_at, True
    return last, coached, encouraged

"""`close`: the set becomes read-only and its retention period starts."""

from __future__ import annotations

from bot.commands import CloseSet
from bot.messages import Mention, Message, Moment, Outcome
from bot.model import RETENTION, SetStatus
from bot.parsing.words import no_words
from bot.permissions import F, change
from bot.usecases.meeting_reminder import cancel_planned_meetings
from bot.usecases.replies import public
from bot.verbs import Route, Turn, Usage, Verb


async def close_set(cmd: CloseSet, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    learning_set.status = SetStatus.CLOSED
    learning_set.closed_at = now
    await uow.sets.save(learning_set)
    await cancel_planned_meetings(uow, await uow.meetings.upcoming(learning_set.id, now))
    return public(
        ctx,
        Message.text(
            Mention(ctx.actor.user_id),
            f" closed “{learning_set.name}”. It can still be read but no longer changed. "
            f"Its records are kept for {RETENTION.days} days, until ",
            Moment(now + RETENTION, "date"),
            "; members can `mydata export` theirs before then.",
        ),
    )


VERBS = (
    Verb(
        "close",
        no_words("close", CloseSet),
        Usage(
            "close",
            "end the set: it becomes read-only and its retention period starts (facilitator)",
            "close",
        ),
        (Route(CloseSet, change(F), close_set),),
    ),
)

"""`close`: the set becomes read-only and its retention period starts."""

from __future__ import annotations

from datetime import datetime

from bot.authz import set_here
from bot.commands import CloseSet
from bot.context import Context
from bot.messages import Mention, Message, Moment, Outcome
from bot.model import SetStatus
from bot.ports import UnitOfWork
from bot.setlife import RETENTION
from bot.usecases.meeting_reminder import cancel_meeting_reminders
from bot.usecases.replies import public


async def close_set(cmd: CloseSet, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    learning_set = await set_here(uow, ctx)
    learning_set.status = SetStatus.CLOSED
    learning_set.closed_at = now
    await uow.sets.save(learning_set)
    await cancel_meeting_reminders(uow, await uow.meetings.upcoming(learning_set.id, now))
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

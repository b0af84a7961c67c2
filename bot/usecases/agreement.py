"""The set's agreement: shown on joining, accepted with `agree`, replaced by a facilitator."""

from __future__ import annotations

from datetime import datetime

from bot.authz import set_here
from bot.commands import Agree, SetAgreement, ShowAgreement
from bot.context import Context
from bot.errors import Conflict
from bot.messages import Mention, Message, Outcome, Section, Text
from bot.model import LearningSet
from bot.ports import UnitOfWork
from bot.usecases.agreement_reminder import agreement_reminder
from bot.usecases.replies import options_of, private, public


async def agreement_sections(uow: UnitOfWork, learning_set: LearningSet) -> list[Section]:
    options = await options_of(uow, learning_set.id)
    lines = options.agreement_lines()
    return [Section(Text.of(f"The agreement of “{learning_set.name}”:"))] + [
        Section(Text.of(f"• {line}" if len(lines) > 1 else line)) for line in lines
    ]


async def show_agreement(
    cmd: ShowAgreement, *, ctx: Context, uow: UnitOfWork, now: datetime
) -> Outcome:
    learning_set = await set_here(uow, ctx)
    return private(ctx, Message(tuple(await agreement_sections(uow, learning_set))))


async def set_agreement(
    cmd: SetAgreement, *, ctx: Context, uow: UnitOfWork, now: datetime
) -> Outcome:
    learning_set = await set_here(uow, ctx)
    options = await options_of(uow, learning_set.id)
    options.agreement = cmd.text
    await uow.set_options.save(options)
    return private(ctx, Message.text("The agreement is replaced.")) + public(
        ctx,
        Message.text(
            Mention(ctx.actor.user_id), " updated the set's agreement; read it with `agreement`."
        ),
    )


async def agree(cmd: Agree, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    learning_set = await set_here(uow, ctx)
    membership = await uow.memberships.get(learning_set.id, ctx.actor.user_id)
    if membership is None or not membership.active:
        # A guest agrees to the ground rules for their meeting; nothing to store beyond it.
        return private(ctx, Message.text("Thank you: you have accepted the set's agreement."))
    if membership.agreed_at is not None:
        raise Conflict("You have already accepted the agreement.", example="agreement")
    membership.agreed_at = now
    await uow.memberships.save(membership)
    await uow.due_work.cancel(agreement_reminder(membership).key)
    return private(
        ctx, Message.text(f"Thank you: you are now a member of “{learning_set.name}”.")
    ) + public(ctx, Message.text(Mention(ctx.actor.user_id), " accepted the agreement."))

"""The set's agreement: shown on joining, accepted with `agree`, replaced by a facilitator."""

from __future__ import annotations

from bot.commands import Agree, Command, SetAgreement, ShowAgreement
from bot.messages import Mention, Message, Outcome, Section, Text
from bot.model import LearningSet
from bot.parsing.words import free_text, no_words
from bot.permissions import F, G, M, P, change, read
from bot.ports import UnitOfWork
from bot.usecases.memberships import load_roster, save_membership
from bot.usecases.replies import options_of, private, public
from bot.usecases.weekly_checkin import plan_checkin
from bot.verbs import Route, Turn, Usage, Verb


async def agreement_sections(uow: UnitOfWork, learning_set: LearningSet) -> list[Section]:
    options = await options_of(uow, learning_set.id)
    lines = options.agreement_lines()
    return [Section(Text.of(f"The agreement of “{learning_set.name}”:"))] + [
        Section(Text.of(f"• {line}" if len(lines) > 1 else line)) for line in lines
    ]


def parse_agreement(args: list[str]) -> Command:
    text = free_text(args, "agreement")
    return SetAgreement(text) if text else ShowAgreement()


async def show_agreement(cmd: ShowAgreement, turn: Turn) -> Outcome:
    sections = await agreement_sections(turn.uow, turn.access.learning_set)
    return private(turn.ctx, Message(tuple(sections)))


async def set_agreement(cmd: SetAgreement, turn: Turn) -> Outcome:
    options = await options_of(turn.uow, turn.access.learning_set.id)
    options.agreement = cmd.text
    await turn.uow.set_options.save(options)
    return private(turn.ctx, Message.text("The agreement is replaced.")) + public(
        turn.ctx,
        Message.text(
            Mention(turn.ctx.actor.user_id),
            " updated the set's agreement; read it with `agreement`.",
        ),
    )


async def agree(cmd: Agree, turn: Turn) -> Outcome:
    ctx, learning_set, membership = turn.ctx, turn.access.learning_set, turn.access.membership
    if membership is None:
        # A guest agrees to the ground rules for their meeting; nothing to store beyond it.
        return private(ctx, Message.text("Thank you: you have accepted the set's agreement."))
    roster = await load_roster(turn.uow, learning_set)
    agreed = roster.agree(ctx.actor.user_id, turn.now)
    await save_membership(turn.uow, agreed)
    await plan_checkin(turn.uow, learning_set, agreed, turn.now)
    return private(
        ctx, Message.text(f"Thank you: you are now a member of “{learning_set.name}”.")
    ) + public(ctx, Message.text(Mention(ctx.actor.user_id), " accepted the agreement."))


VERBS = (
    Verb(
        "agree",
        no_words("agree", Agree),
        Usage("agree", "accept the set's agreement and complete your joining", "agree"),
        (Route(Agree, change(F, M, P, G), agree),),
    ),
    Verb(
        "agreement",
        parse_agreement,
        Usage(
            "agreement [TEXT]",
            "show the set's agreement; a facilitator can replace it",
            'agreement "What is said here stays here. Questions before advice."',
        ),
        (
            Route(ShowAgreement, read(F, M, P, G), show_agreement),
            Route(SetAgreement, change(F), set_agreement),
        ),
    ),
)

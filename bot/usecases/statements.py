"""Challenges and development goals: each member's own, every revision kept.

In a set whose format is `shared`, `challenge` speaks of the set's one challenge,
which only a facilitator sets.
"""

from __future__ import annotations

from datetime import datetime

from bot.commands import SetChallenge, SetGoal
from bot.context import Context
from bot.errors import NotAllowed
from bot.messages import Form, FormField, Message, OpenForm, Outcome, Section, Text
from bot.model import LearningSet, Statement, StatementKind
from bot.parsing.roster import parse_challenge, parse_goal
from bot.permissions import F, M, Standing, change
from bot.ports import UnitOfWork
from bot.usecases.replies import options_of, private
from bot.verbs import Route, Turn, Usage, Verb

LABELS: dict[StatementKind, str] = {"challenge": "challenge", "goal": "development goal"}


async def set_challenge(cmd: SetChallenge, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    owner: str | None = ctx.actor.user_id
    if (await options_of(uow, learning_set.id)).format == "shared":
        owner = None
        if turn.access.standing is not Standing.FACILITATOR:
            if cmd.text is not None:
                raise NotAllowed(
                    "This set works on one shared challenge, which a facilitator sets.",
                    example="challenge",
                )
            return await _show_shared(uow, ctx, learning_set)
    return await _write(uow, ctx, learning_set, owner, "challenge", cmd.text, now)


async def set_goal(cmd: SetGoal, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    return await _write(uow, ctx, learning_set, ctx.actor.user_id, "goal", cmd.text, now)


async def _show_shared(uow: UnitOfWork, ctx: Context, learning_set: LearningSet) -> Outcome:
    history = await uow.statements.history(learning_set.id, None, "challenge")
    if not history:
        return private(ctx, Message.text("The set's shared challenge is not written yet."))
    return private(ctx, Message.text(f"The set's shared challenge: {history[-1].text}"))


async def _write(
    uow: UnitOfWork,
    ctx: Context,
    learning_set: LearningSet,
    owner: str | None,
    kind: StatementKind,
    text: str | None,
    now: datetime,
) -> Outcome:
    history = await uow.statements.history(learning_set.id, owner, kind)
    whose = "The set's shared" if owner is None else "Your"
    if text is None:
        return _ask_with_form(ctx, kind, whose, history[-1].text if history else "")
    if history and history[-1].text == text:
        return private(ctx, Message.text(f"{whose} {LABELS[kind]} already reads so."))
    revision = len(history) + 1
    await uow.statements.add(
        Statement(learning_set.id, owner, kind, revision, text, now, ctx.actor.user_id)
    )
    said = "saved" if revision == 1 else f"revised (revision {revision}; earlier ones are kept)"
    return private(ctx, Message.text(f"{whose} {LABELS[kind]} is {said}."))


def _ask_with_form(ctx: Context, kind: StatementKind, whose: str, current: str) -> Outcome:
    label = LABELS[kind]
    form = Form(
        action=kind,
        title=f"{whose} {label}",
        fields=(FormField("text", f"{whose} {label}", multiline=True, initial=current),),
    )
    shown = f"{whose} {label}: {current}" if current else f"{whose} {label} is not written yet."
    hint = f"Fill in the form, or type `{ctx.command_prefix}{kind} YOUR TEXT`."
    message = Message((Section(Text.of(shown)), Section(Text.of(hint))))
    return private(ctx, message) + Outcome(forms=(OpenForm(ctx.actor.user_id, form, ctx.trigger),))


VERBS = (
    Verb(
        "challenge",
        parse_challenge,
        Usage(
            "challenge [TEXT]",
            "set or revise your challenge (no text: a form); every revision is kept",
            'challenge "Getting two wards to share one rota"',
        ),
        (Route(SetChallenge, change(F, M), set_challenge),),
        form=SetChallenge,
    ),
    Verb(
        "goal",
        parse_goal,
        Usage(
            "goal [TEXT]",
            "set or revise your development goal (no text: a form)",
            "goal handle conflict without withdrawing",
        ),
        (Route(SetGoal, change(F, M), set_goal),),
        form=SetGoal,
    ),
)

"""Members' actions: committing, listing, updating, and sharing progress with a sponsor.

`commit TEXT [by DATE]` numbers an action within the set (1, 2, …) and makes it due at
the end of DATE in the speaker's zone, or else at the set's next planned meeting; in a
round's commit phase the presenter's action is linked to that round. Only an action's
owner changes it (`done`, `progress`, `drop`); a facilitator may also `drop` one. Every
change goes through `keep_action_nudges`. An action's text is set content: shown in the
set's place and to its owner, never logged, and sent to the owner's sponsor only by
`share` (`bot.usecases.sharing`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from bot import commands as c
from bot.context import Context
from bot.errors import Conflict, NotAllowed, NotFound
from bot.messages import (
    Form,
    FormField,
    Inline,
    Mention,
    Message,
    Moment,
    OpenForm,
    Outcome,
    Section,
    Text,
)
from bot.model import Action, ActionStatus, Phase
from bot.parsing.actions import (
    parse_actions,
    parse_commit,
    parse_done,
    parse_drop,
    parse_progress,
    parse_share,
)
from bot.parsing.dates import resolve_date
from bot.permissions import F, M, Standing, change, read
from bot.ports import UnitOfWork
from bot.presses import Press, PressKind
from bot.schedules import local_to_utc
from bot.usecases.action_hooks import keep_action_nudges
from bot.usecases.replies import private, private_to, public, speaker_zone
from bot.usecases.round_prompts import COMMIT_PRESS
from bot.usecases.sharing import share_action, share_meeting
from bot.verbs import Route, Turn, Usage, Verb

COMMIT_EXAMPLE = "commit talk to the rota team by next Friday"
END_OF_DAY = time(23, 59)
"""An action due "by" a day is due at the end of that day, in its owner's zone."""


async def commit_action(cmd: c.CommitAction, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    due_at: datetime | None = None
    if cmd.by is not None:
        zone = await speaker_zone(uow, ctx, learning_set)
        day = resolve_date(cmd.by, tz=zone, now=now, example=COMMIT_EXAMPLE)
        due_at = local_to_utc(day, END_OF_DAY, zone).starts_at
    else:
        upcoming = await uow.meetings.upcoming(learning_set.id, now)
        due_at = upcoming[0].starts_at if upcoming else None
    round_ = await uow.rounds.open_in(learning_set.id)
    in_round = (
        round_ is not None
        and round_.phase is Phase.COMMIT
        and round_.presenter_id == ctx.actor.user_id
    )
    action = Action(
        uuid.uuid4().hex,
        learning_set.id,
        await uow.actions.next_number(learning_set.id),
        ctx.actor.user_id,
        cmd.text,
        now,
        due_at,
        meeting_id=round_.meeting_id if in_round and round_ else None,
        round_id=round_.id if in_round and round_ else None,
    )
    await uow.actions.add(action)
    await keep_action_nudges(uow, action, now=now)
    n = action.number
    due: tuple[Inline, ...] = (
        (", due ", Moment(due_at)) if due_at else (", with no due date (no meeting is planned)",)
    )
    answer = Message.text(
        f"Noted as your action {n}",
        *due,
        f". `progress {n} note` along the way, `done {n}` when it is done; `actions` lists yours.",
    )
    shown = Message.text(Mention(action.owner_id), f" committed to action {n}: {action.text}")
    return private(ctx, answer) + public(ctx, shown)


def _line(action: Action, now: datetime) -> Text:
    parts: list[Inline] = [Mention(action.owner_id), f" — {action.text} · {action.status.value}"]
    if action.is_open and action.due_at is not None:
        parts += [", due ", Moment(action.due_at)]
        if action.overdue(now):
            parts.append(" (overdue)")
    if action.notes:
        parts.append(f" · {len(action.notes)} progress note{'s' if len(action.notes) > 1 else ''}")
    return Text.of(*parts)


async def list_actions(cmd: c.ListActions, turn: Turn) -> Outcome:
    ctx, uow, now = turn.ctx, turn.uow, turn.now
    learning_set = turn.access.learning_set
    actions = await uow.actions.of_set(learning_set.id)
    whose: tuple[Inline, ...]
    if cmd.scope == "all":
        whose = (f"Actions in “{learning_set.name}”",)
    else:
        owner = ctx.actor.user_id if cmd.scope == "mine" else (cmd.user_id or "")
        actions = [a for a in actions if a.owner_id == owner]
        whose = ("Your actions",) if owner == ctx.actor.user_id else (Mention(owner), "'s actions")
    if not actions:
        return private(
            ctx,
            Message.text(*whose, ": none yet. ", f"Commit to one with `{COMMIT_EXAMPLE}`."),
        )
    fields = tuple((str(a.number), _line(a, now)) for a in actions)
    header = Text.of(*whose, " (`done N`, `progress N note`, `drop N`):")
    return private(ctx, Message((Section(header, fields),)))


async def _own_open_action(
    turn: Turn, number: int, verb: str, *, facilitator_may: bool = False
) -> Action:
    """Action `number` of the set, open, and the speaker's to change; else a `UserError`."""
    learning_set = turn.access.learning_set
    action = await turn.uow.actions.get(learning_set.id, number)
    if action is None:
        raise NotFound(
            f"There is no action {number} in “{learning_set.name}”; "
            "`actions all` lists them with their numbers.",
            example="actions all",
        )
    mine = action.owner_id == turn.ctx.actor.user_id
    if not mine and not (facilitator_may and turn.access.standing is Standing.FACILITATOR):
        also = " or a facilitator" if facilitator_may else ""
        raise NotAllowed(
            f"Action {number} is someone else's: only its owner{also} can `{verb}` it. "
            "`actions mine` lists yours.",
            example="actions mine",
        )
    if not action.is_open:
        raise Conflict(
            f"Action {number} is already {action.status.value}, so it can't change now.",
            example="actions mine",
        )
    return action


async def mark_done(cmd: c.MarkDone, turn: Turn) -> Outcome:
    action = await _own_open_action(turn, cmd.number, "done")
    action.close(ActionStatus.DONE, turn.now, cmd.note)
    await turn.uow.actions.save(action)
    await keep_action_nudges(turn.uow, action, now=turn.now)
    shown = Message.text(Mention(action.owner_id), f" did action {action.number}: {action.text}")
    return public(turn.ctx, shown)


async def note_progress(cmd: c.NoteProgress, turn: Turn) -> Outcome:
    action = await _own_open_action(turn, cmd.number, "progress")
    action.note_progress(cmd.note, turn.now)
    await turn.uow.actions.save(action)
    await keep_action_nudges(turn.uow, action, now=turn.now)
    n = action.number
    return private(
        turn.ctx,
        Message.text(
            f"Noted on action {n} (note {len(action.notes)}). `done {n}` when it is done."
        ),
    )


async def drop_action(cmd: c.DropAction, turn: Turn) -> Outcome:
    action = await _own_open_action(turn, cmd.number, "drop", facilitator_may=True)
    action.close(ActionStatus.DROPPED, turn.now, cmd.reason)
    await turn.uow.actions.save(action)
    await keep_action_nudges(turn.uow, action, now=turn.now)
    speaker = turn.ctx.actor.user_id
    answer = private(turn.ctx, Message.text(f"Dropped action {action.number}: {action.text}"))
    if action.owner_id != speaker:  # a facilitator dropped it: its owner hears why
        why = f" ({cmd.reason})" if cmd.reason else ""
        answer += private_to(
            turn.ctx,
            action.owner_id,
            Message.text(Mention(speaker), f" dropped your action {action.number}{why}."),
        )
    return answer


async def press_commit(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    """The commit phase's button: the presenter gets the `commit` form (its answer runs as
    `commit TEXT [by DATE]` in the place the button was in, linked to the round)."""
    round_ = await uow.rounds.get(press.value)
    if round_ is None or not round_.is_open or round_.phase is not Phase.COMMIT:
        raise Conflict(
            "The round is past its commit phase; `commit TEXT [by DATE]` still commits.",
            example=COMMIT_EXAMPLE,
        )
    if round_.presenter_id != ctx.actor.user_id:
        raise NotAllowed(
            "This button is the presenter's. Your own actions: `commit TEXT [by DATE]`.",
            example=COMMIT_EXAMPLE,
        )
    form = Form(
        "commit",
        "Commit to an action",
        (FormField("text", "What will you do? Add “by” and a day if you like.", True),),
        submit="Commit",
    )
    return Outcome(forms=(OpenForm(ctx.actor.user_id, form, ctx.trigger),))


PRESSES = (PressKind(COMMIT_PRESS, press_commit),)

VERBS = (
    Verb(
        "commit",
        parse_commit,
        Usage("commit TEXT [by DATE]", "commit to an action", COMMIT_EXAMPLE),
        (Route(c.CommitAction, change(F, M), commit_action),),
        form=lambda text: parse_commit(text.split()),
    ),
    Verb(
        "actions",
        parse_actions,
        Usage("actions [mine | all | @a]", "list actions", "actions all"),
        (Route(c.ListActions, read(F, M), list_actions),),
    ),
    Verb(
        "done",
        parse_done,
        Usage("done N [note]", "mark your action N done", "done 2 agreed a pilot"),
        (Route(c.MarkDone, change(F, M), mark_done),),
    ),
    Verb(
        "progress",
        parse_progress,
        Usage("progress N note", "note progress on action N", "progress 2 met them"),
        (Route(c.NoteProgress, change(F, M), note_progress),),
    ),
    Verb(
        "drop",
        parse_drop,
        Usage("drop N [reason]", "drop action N", "drop 2 no longer relevant"),
        (Route(c.DropAction, change(F, M), drop_action),),
    ),
    Verb(
        "share",
        parse_share,
        Usage(
            "share N [note] · share meeting [note]",
            "send your sponsor an action's progress or your meeting summary",
            "share 2",
        ),
        (
            Route(c.ShareAction, change(F, M), share_action),
            Route(c.ShareMeeting, change(F, M), share_meeting),
        ),
    ),
)

"""Nudges about committed actions: the direct message a member gets, and its buttons.

When a member's send comes due (`action.nudge`, planned by `bot.usecases.nudge_plan`),
`send_nudges` checks again — nudges on, not away, inside working time, no nudge yet on
this working day, the actions still open and theirs — and sends one direct message with
every action nudged that day, each with four buttons: done, snooze a day, snooze a week
(the nudge moves; the due date does not), and add a progress note (a form). A press
changes the action or its plan, and updates that message in place. Pressing again
changes nothing twice: a done action stays done, a snooze counts from the latest press.

Reminders are invitations, never scores: the words say when, not how late.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from bot.context import Context
from bot.duework import Drop, DueResult, DueWork, Send, WorkKind
from bot.errors import GrammarError, NotAllowed, NotFound
from bot.messages import (
    Button,
    Buttons,
    Direct,
    Form,
    FormField,
    Inline,
    Mention,
    Message,
    Moment,
    OpenForm,
    Outcome,
    Outgoing,
    Public,
    Section,
    Text,
    Update,
)
from bot.model import Action, ActionNudge, ActionStatus, LearningSet, SetStatus
from bot.nudge_timing import NudgeKind, Snooze, snoozed
from bot.parsing.words import MAX_TEXT
from bot.ports import UnitOfWork
from bot.presses import Press, PressKind, form_action
from bot.usecases.action_hooks import keep_action_nudges
from bot.usecases.nudge_plan import KIND, keep_member_nudges, nudgeable, time_of
from bot.usecases.replies import private

DONE, SNOOZE_DAY, SNOOZE_WEEK, NOTE = (
    "nudge.done",
    "nudge.snooze_day",
    "nudge.snooze_week",
    "nudge.note",
)
HOME_KEY = "home"
"""The key a nudge button carries when it is shown on the person's Home
(`bot.usecases.home`) rather than on a nudge message: there is no message to update,
the adapter publishes the Home again instead."""
SNOOZES = {SNOOZE_DAY: Snooze.DAY, SNOOZE_WEEK: Snooze.WEEK}
WHY = {
    NudgeKind.MIDPOINT.value: "halfway to when it is due",
    NudgeKind.BEFORE_DUE.value: "due in two working days",
    NudgeKind.OVERDUE.value: "its due moment has passed: done, still going, or time to let it go?",
    NudgeKind.SNOOZED.value: "back, as you asked",
}


async def send_nudges(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    """One member's nudges of one working day, in one direct message."""
    member = item.user_id
    if member is None:
        return Drop("malformed: needs user_id")
    stored = await uow.nudges.of_member(member)
    targets = {t.action.id: t for t in await nudgeable(uow, member, now)}
    mt = await time_of(uow, member, list(targets.values()))
    wt, settings = mt.working_time, mt.settings
    day = wt.working_day(item.due_at)
    batch = [
        n
        for n in stored
        if not n.sent
        and wt.working_day(n.at) == day
        and n.action_id in targets
        and targets[n.action_id].due_at == n.due_at
    ]
    reason = None
    if not settings.nudges:
        reason = "nudges off"
    elif settings.away_until is not None and now < settings.away_until:
        reason = "away"
    elif not batch:
        reason = "nothing to nudge"
    elif not wt.contains(now):
        reason = "outside working time: moved"
    elif any(n.sent_at and wt.working_day(n.sent_at) == wt.working_day(now) for n in stored):
        reason = "nudged today already: moved"
    if reason is not None:
        await keep_member_nudges(uow, member, now, due="move", sending=item.key)
        return Drop(reason)
    for nudge in batch:
        nudge.sent_at, nudge.message_key = now, item.key
        await uow.nudges.save(nudge)
    await keep_member_nudges(uow, member, now, due="move", sending=item.key)
    message = await nudge_message(uow, member, item.key, now)
    return Send(Outcome((Outgoing(Direct(member), message, remember=item.key),)))


WORK_KIND = WorkKind(KIND, send_nudges)
"""Never stale: a send found late (after downtime) decides for itself (see above)."""


async def _action(uow: UnitOfWork, set_id: str, action_id: str) -> Action | None:
    return next((a for a in await uow.actions.of_set(set_id) if a.id == action_id), None)


async def nudge_message(uow: UnitOfWork, member: str, key: str, now: datetime) -> Message:
    """The message sent under `key`, as it stands now: each action with its buttons while
    it is open, or what became of it."""
    mine = await uow.nudges.of_member(member)
    sent = [n for n in mine if n.message_key == key]
    snoozes = {n.action_id: n.at for n in mine if not n.sent and n.kind == NudgeKind.SNOOZED.value}
    blocks: list[Section | Buttons] = [
        Section(Text.of("A nudge about what you committed to — an invitation, not a score:"))
    ]
    why: dict[str, str] = {}
    for nudge in sent:
        why.setdefault(nudge.action_id, WHY.get(nudge.kind, ""))
    for action_id, reason in why.items():
        set_id = next(n.set_id for n in sent if n.action_id == action_id)
        action = await _action(uow, set_id, action_id)
        learning_set = await uow.sets.get(set_id)
        if action is None or learning_set is None:
            continue
        blocks += _action_blocks(action, learning_set, reason, snoozes.get(action_id), key, now)
    return Message(tuple(blocks), key=key)


def _action_blocks(
    action: Action,
    learning_set: LearningSet,
    reason: str,
    snoozed_until: datetime | None,
    key: str,
    now: datetime,
) -> list[Section | Buttons]:
    n = action.number
    head = Section(Text.of(f"Action {n} in “{learning_set.name}”: {action.text}"))
    fields: list[tuple[str, Text]] = []
    if action.due_at is not None:
        late = " (passed)" if action.overdue(now) else ""
        fields.append(("due", Text.of(Moment(action.due_at), late)))
    if action.notes:
        fields.append(("progress notes", Text.of(str(len(action.notes)))))
    if action.status is ActionStatus.DONE:
        state: tuple[Inline, ...] = ("Done — thank you.",)
    elif action.status is ActionStatus.DROPPED:
        state = ("Dropped.",)
    elif snoozed_until is not None:
        state = ("Snoozed: I'll nudge you again ", Moment(snoozed_until), ".")
    else:
        state = (
            (reason[0].upper() + reason[1:] + ("" if reason[-1] in ".?!" else "."),)
            if reason
            else ()
        )
    if state:
        fields.append(("now", Text.of(*state)))
    blocks: list[Section | Buttons] = [Section(head.text, tuple(fields))]
    if action.is_open:
        value = f"{action.set_id} {action.id} {key}"
        blocks.append(
            Buttons(
                (
                    Button("Done", DONE, value, style="primary"),
                    Button("Snooze a day", SNOOZE_DAY, value),
                    Button("Snooze a week", SNOOZE_WEEK, value),
                    Button("Add a progress note", NOTE, value),
                )
            )
        )
    return blocks


# --- the buttons ------------------------------------------------------------------------


async def _pressed(press: Press, ctx: Context, uow: UnitOfWork) -> tuple[Action, LearningSet, str]:
    """The action a nudge button names, if the presser owns it and is still in its open set."""
    set_id, _, rest = press.value.partition(" ")
    action_id, _, key = rest.partition(" ")
    action = await _action(uow, set_id, action_id) if set_id and action_id else None
    learning_set = await uow.sets.get(set_id) if action else None
    if action is None or learning_set is None or not key:
        raise NotFound("That action is no longer there; `actions mine` lists yours.")
    if action.owner_id != ctx.actor.user_id:
        raise NotAllowed("Only the action's owner can answer its nudge.")
    membership = await uow.memberships.get(set_id, action.owner_id)
    if membership is None or not membership.active or learning_set.status is SetStatus.CLOSED:
        raise NotAllowed(f"You are no longer in an open set “{learning_set.name}”.")
    return action, learning_set, key


def _refresh(ctx: Context, key: str, message: Message) -> Outcome:
    if key == HOME_KEY:
        return Outcome()
    return Outcome((Outgoing(Update(ctx.place.id, remembered=key), message),))


async def _unchanged(
    ctx: Context, uow: UnitOfWork, action: Action, key: str, now: datetime
) -> Outcome:
    """A press on an action already closed: nothing changes; the message shows why."""
    message = await nudge_message(uow, action.owner_id, key, now)
    said = Message.text(
        f"Action {action.number} is already {action.status.value}; nothing changed."
    )
    return _refresh(ctx, key, message) + private(ctx, said)


async def press_done(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    action, learning_set, key = await _pressed(press, ctx, uow)
    if not action.is_open:
        return await _unchanged(ctx, uow, action, key, now)
    action.close(ActionStatus.DONE, now, None)
    await uow.actions.save(action)
    await keep_action_nudges(uow, action, now=now)
    shown = Message.text(Mention(action.owner_id), f" did action {action.number}: {action.text}")
    message = await nudge_message(uow, action.owner_id, key, now)
    return _refresh(ctx, key, message) + Outcome((Outgoing(Public(learning_set.place_id), shown),))


async def press_snooze(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    action, _, key = await _pressed(press, ctx, uow)
    if not action.is_open:
        return await _unchanged(ctx, uow, action, key, now)
    targets = {t.action.id: t for t in await nudgeable(uow, action.owner_id, now)}
    target = targets.get(action.id)
    if target is not None:
        mt = await time_of(uow, action.owner_id, [target])
        until = snoozed(
            now, SNOOZES[press.action], mt.working_time, away_until=mt.settings.away_until
        )
        stale = [
            n.id
            for n in await uow.nudges.of_member(action.owner_id)
            if n.action_id == action.id and not n.sent
        ]
        await uow.nudges.delete(stale)
        await uow.nudges.save(
            ActionNudge(
                uuid.uuid4().hex,
                action.id,
                action.set_id,
                action.owner_id,
                NudgeKind.SNOOZED.value,
                until,
                target.due_at,
            )
        )
        await keep_member_nudges(uow, action.owner_id, now)
    return _refresh(ctx, key, await nudge_message(uow, action.owner_id, key, now))


async def press_note(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    action, _, key = await _pressed(press, ctx, uow)
    if not action.is_open:
        return await _unchanged(ctx, uow, action, key, now)
    if not press.values:  # the button: open the form
        form = Form(
            form_action(NOTE, press.value),
            f"Progress on action {action.number}",
            (FormField("text", "What moved forward?", multiline=True),),
            submit="Add note",
        )
        return Outcome(forms=(OpenForm(ctx.actor.user_id, form, ctx.trigger),))
    text = press.values.get("text", "").strip()
    if not text:
        raise GrammarError(
            "The note was empty; nothing was changed.", example="progress 2 met them"
        )
    if len(text) > MAX_TEXT:
        raise GrammarError(f"Keep it to {MAX_TEXT} characters.", example="progress 2 met them")
    action.note_progress(text, now)
    await uow.actions.save(action)
    await keep_action_nudges(uow, action, now=now)
    said = Message.text(f"Noted on action {action.number} (note {len(action.notes)}).")
    return _refresh(ctx, key, await nudge_message(uow, action.owner_id, key, now)) + private(
        ctx, said
    )


PRESSES = (
    PressKind(DONE, press_done),
    PressKind(SNOOZE_DAY, press_snooze),
    PressKind(SNOOZE_WEEK, press_snooze),
    PressKind(NOTE, press_note),
)

"""Report-back: at a meeting's check-in each member answers, privately, on their actions.

When a meeting opens, every member with actions to report back on (`due_at_meeting`)
gets one direct message listing them, each with three buttons — done, partly, not done —
that open a short form: what happened, what they learned. For "not done" the message then
asks what held them back ("learning inaction"): time, authority, organisational
politics, risk or fear, priorities changed, or other, with their own words if they like.
The message is updated in place as they answer; answering again replaces the answer.
Typed, the same answers are `report N done|partly|not done [what happened]` and
`report N held REASON [in my words]`.

The answers are the member's own (`bot.model.report_back`): shown to them alone. A
facilitator's `report` shows only counts across the set, any count under three left out.
A "done" answer closes the action, as `done N` would.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Literal

from bot import commands as c
from bot.context import Context
from bot.errors import GrammarError, NotAllowed, NotFound
from bot.messages import (
    Button,
    Buttons,
    Direct,
    Form,
    FormField,
    Message,
    OpenForm,
    Outcome,
    Outgoing,
    Section,
    Text,
    Update,
)
from bot.model import Action, ActionStatus, HeldMeeting, LearningSet, SetStatus
from bot.model.report_back import HELD_BACK_LABELS, HeldBack, ReportBack, ReportOutcome
from bot.parsing.words import MAX_TEXT
from bot.ports import UnitOfWork
from bot.presses import Press, PressKind, form_action
from bot.usecases.action_hooks import due_at_meeting, keep_action_nudges
from bot.usecases.replies import private
from bot.verbs import Turn

OUTCOME, ANSWER, HELD, HELD_NOTE = (
    "report.outcome",
    "report.answer",
    "report.held",
    "report.held_note",
)
OUTCOME_LABELS = {
    ReportOutcome.DONE: "Done",
    ReportOutcome.PARTLY: "Partly",
    ReportOutcome.NOT_DONE: "Not done",
}
PRIVATE = (
    "Only you see your answers; the set's facilitators see counts across the set, never yours."
)


def message_key(meeting_id: str, member_id: str) -> str:
    """The key the member's report-back message is remembered by, to update it in place."""
    return f"report:{meeting_id}:{member_id}"


async def report_back_prompts(
    uow: UnitOfWork, learning_set: LearningSet, meeting: HeldMeeting, actions: list[Action]
) -> Outcome:
    """One direct message to each member with actions to report back on at this meeting."""
    owners: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        owners[action.owner_id].append(action)
    outcome = Outcome()
    for owner in owners:
        key = message_key(meeting.id, owner)
        message = await report_message(uow, learning_set, meeting, owner)
        outcome += Outcome((Outgoing(Direct(owner), message, remember=key),))
    return outcome


async def _listed(
    uow: UnitOfWork, learning_set: LearningSet, meeting: HeldMeeting, member: str
) -> tuple[list[Action], dict[str, ReportBack]]:
    """The member's actions the message lists: due at the meeting, or answered there."""
    reports = {
        r.action_id: r
        for r in await uow.report_backs.of_set(learning_set.id)
        if r.meeting_id == meeting.id and r.member_id == member
    }
    due = {a.id for a in await due_at_meeting(uow, learning_set, meeting) if a.owner_id == member}
    listed = [
        a
        for a in await uow.actions.of_set(learning_set.id)
        if a.owner_id == member and (a.id in due or a.id in reports)
    ]
    return listed, reports


async def report_message(
    uow: UnitOfWork, learning_set: LearningSet, meeting: HeldMeeting, member: str
) -> Message:
    """The member's report-back message for this meeting, as it stands now."""
    listed, reports = await _listed(uow, learning_set, meeting, member)
    blocks: list[Section | Buttons] = [
        Section(
            Text.of(
                f"Check-in in “{learning_set.name}”: how did your actions go? "
                "Press one for each — then a line on what happened and what you learned. " + PRIVATE
            )
        )
    ]
    for action in listed:
        blocks += _action_blocks(action, reports.get(action.id), meeting.id)
    return Message(tuple(blocks), key=message_key(meeting.id, member))


def _action_blocks(
    action: Action, report: ReportBack | None, meeting_id: str
) -> list[Section | Buttons]:
    fields: list[tuple[str, Text]] = []
    if report is not None:
        fields.append(("your answer", Text.of(OUTCOME_LABELS[report.outcome])))
        if report.happened:
            fields.append(("what happened", Text.of(report.happened)))
        if report.learned:
            fields.append(("what you learned", Text.of(report.learned)))
        if report.held_back is not None:
            held = HELD_BACK_LABELS[report.held_back]
            fields.append(("what held you back", Text.of(held)))
        if report.held_back_note:
            fields.append(("in your words", Text.of(report.held_back_note)))
    head = Section(Text.of(f"Action {action.number}: {action.text}"), tuple(fields))
    base = f"{action.set_id} {action.id} {meeting_id}"
    blocks: list[Section | Buttons] = [
        head,
        Buttons(
            tuple(
                Button(label, OUTCOME, f"{base} {outcome.value}", style=_style(report, outcome))
                for outcome, label in OUTCOME_LABELS.items()
            )
        ),
    ]
    if report is not None and report.outcome is ReportOutcome.NOT_DONE:
        blocks.append(Section(Text.of("What held you back? That is learning too.")))
        blocks.append(
            Buttons(
                tuple(
                    Button(
                        label.capitalize(),
                        HELD,
                        f"{base} {reason.value}",
                        style="primary" if report.held_back is reason else "default",
                    )
                    for reason, label in HELD_BACK_LABELS.items()
                )
            )
        )
    return blocks


def _style(report: ReportBack | None, outcome: ReportOutcome) -> Literal["default", "primary"]:
    return "primary" if report is not None and report.outcome is outcome else "default"


# --- the buttons ------------------------------------------------------------------------


async def _pressed(
    press: Press, ctx: Context, uow: UnitOfWork
) -> tuple[Action, LearningSet, HeldMeeting, str]:
    """The action, set and meeting a report-back button names, and the button's own word,
    if the presser owns the action and is still in the open set."""
    set_id, action_id, meeting_id, word = _parts(press)
    learning_set = await uow.sets.get(set_id) if set_id else None
    actions = await uow.actions.of_set(set_id) if learning_set else []
    action = next((a for a in actions if a.id == action_id), None)
    meeting = await uow.held_meetings.get(meeting_id) if meeting_id else None
    if action is None or learning_set is None or meeting is None or not word:
        raise NotFound("That action is no longer there; `actions mine` lists yours.")
    if action.owner_id != ctx.actor.user_id:
        raise NotAllowed("Only the action's owner can report back on it.")
    membership = await uow.memberships.get(set_id, action.owner_id)
    if membership is None or not membership.active or learning_set.status is SetStatus.CLOSED:
        raise NotAllowed(f"You are no longer in an open set “{learning_set.name}”.")
    return action, learning_set, meeting, word


def _parts(press: Press) -> tuple[str, str, str, str]:
    """A button's value: set id, action id, meeting id and its own word."""
    parts = [*press.value.split(" ", 3), "", "", "", ""]
    return parts[0], parts[1], parts[2], parts[3]


def _outcome_of(word: str) -> ReportOutcome:
    try:
        return ReportOutcome(word)
    except ValueError:
        raise NotFound("That button is not one I know any more.") from None


def _reason_of(word: str) -> HeldBack:
    try:
        return HeldBack(word)
    except ValueError:
        raise NotFound("That button is not one I know any more.") from None


def _said(values: dict[str, str] | None, name: str, example: str) -> str | None:
    text = ((values or {}).get(name) or "").strip()
    if len(text) > MAX_TEXT:
        raise GrammarError(f"Keep each answer to {MAX_TEXT} characters.", example=example)
    return text or None


async def _refresh(
    ctx: Context, uow: UnitOfWork, learning_set: LearningSet, meeting: HeldMeeting, member: str
) -> Outcome:
    message = await report_message(uow, learning_set, meeting, member)
    key = message_key(meeting.id, member)
    return Outcome((Outgoing(Update(ctx.place.id, remembered=key), message),))


async def press_outcome(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    """Done / partly / not done: a form for what happened and what they learned."""
    action, _, _, word = await _pressed(press, ctx, uow)
    outcome = _outcome_of(word)
    earlier = await _earlier(uow, press)
    happened = "What did you do, and what happened?"
    if outcome is ReportOutcome.NOT_DONE:
        happened = "What happened instead?"
    form = Form(
        form_action(ANSWER, press.value),
        f"Action {action.number}: {OUTCOME_LABELS[outcome].lower()}",
        (
            FormField("happened", happened, multiline=True, initial=_initial(earlier, "happened")),
            FormField(
                "learned",
                "What did you learn?",
                multiline=True,
                initial=_initial(earlier, "learned"),
            ),
        ),
        submit="Save",
    )
    return Outcome(forms=(OpenForm(ctx.actor.user_id, form, ctx.trigger),))


async def _earlier(uow: UnitOfWork, press: Press) -> ReportBack | None:
    _, action_id, meeting_id, _ = _parts(press)
    return await uow.report_backs.get(action_id, meeting_id)


def _initial(report: ReportBack | None, name: str) -> str:
    value = getattr(report, name, None) if report is not None else None
    return value if isinstance(value, str) else ""


async def press_answer(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    """The form's answer: stored (replacing an earlier one), the message updated in place."""
    action, learning_set, meeting, word = await _pressed(press, ctx, uow)
    example = "report 2 partly met the rota team"
    happened = _said(dict(press.values), "happened", example)
    learned = _said(dict(press.values), "learned", example)
    said = await answer(
        uow, action, meeting.id, _outcome_of(word), now, happened=happened, learned=learned
    )
    return await _refresh(ctx, uow, learning_set, meeting, action.owner_id) + private(ctx, said)


async def answer(
    uow: UnitOfWork,
    action: Action,
    meeting_id: str,
    outcome: ReportOutcome,
    now: datetime,
    *,
    happened: str | None,
    learned: str | None = None,
) -> Message:
    """Store a report-back (replacing an earlier one at the same meeting); "done" closes
    the action. Returns the private thank-you."""
    earlier = await uow.report_backs.get(action.id, meeting_id)
    report = ReportBack(
        action.set_id,
        action.id,
        meeting_id,
        action.owner_id,
        outcome,
        now,
        happened=happened,
        learned=learned if learned is not None else (earlier.learned if earlier else None),
    )
    if earlier is not None and outcome is ReportOutcome.NOT_DONE:
        report.held_back, report.held_back_note = earlier.held_back, earlier.held_back_note
    await uow.report_backs.save(report)
    if outcome is ReportOutcome.DONE and action.is_open:
        action.close(ActionStatus.DONE, now, None)
        await uow.actions.save(action)
        await keep_action_nudges(uow, action, now=now)
    n = action.number
    if outcome is ReportOutcome.NOT_DONE:
        return Message.text(
            f"Noted, privately: action {n} not done. What held you back? "
            f"The buttons under it, or `report {n} held time` (or authority, politics, risk, "
            "priorities, other) — that is learning too."
        )
    still = " It stays open: `progress N note` along the way." if action.is_open else ""
    return Message.text(
        f"Noted, privately: action {n} {outcome.value}.{still.replace('N', str(n))} Thank you."
    )


async def press_held(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    """What held them back: stored at once; a form offers room for their own words."""
    action, learning_set, meeting, word = await _pressed(press, ctx, uow)
    reason = _reason_of(word)
    await held_back(uow, action, meeting.id, reason, now, note=None)
    form = Form(
        form_action(HELD_NOTE, press.value),
        f"Action {action.number}",
        (FormField("note", "In your own words (optional)", multiline=True),),
        submit="Save",
    )
    refreshed = await _refresh(ctx, uow, learning_set, meeting, action.owner_id)
    return refreshed + Outcome(forms=(OpenForm(ctx.actor.user_id, form, ctx.trigger),))


async def press_held_note(press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome:
    action, learning_set, meeting, word = await _pressed(press, ctx, uow)
    note = _said(dict(press.values), "note", "report 2 held time the audit took my week")
    await held_back(uow, action, meeting.id, _reason_of(word), now, note=note)
    return await _refresh(ctx, uow, learning_set, meeting, action.owner_id) + private(
        ctx, Message.text(f"Noted, privately, on action {action.number}. Thank you.")
    )


async def held_back(
    uow: UnitOfWork,
    action: Action,
    meeting_id: str,
    reason: HeldBack,
    now: datetime,
    *,
    note: str | None,
) -> None:
    """Store what held the member back from an action not done (a report-back of "not
    done" is made if there was none); a note given earlier stays unless a new one is."""
    report = await uow.report_backs.get(action.id, meeting_id)
    if report is None or report.outcome is not ReportOutcome.NOT_DONE:
        report = ReportBack(
            action.set_id, action.id, meeting_id, action.owner_id, ReportOutcome.NOT_DONE, now
        )
    keep = report.held_back_note if report.held_back is reason else None
    report.held_back, report.held_back_note = reason, note if note is not None else keep
    await uow.report_backs.save(report)


# --- typed ------------------------------------------------------------------------------


async def _own_action(turn: Turn, number: int) -> Action:
    learning_set = turn.access.learning_set
    action = await turn.uow.actions.get(learning_set.id, number)
    if action is None:
        raise NotFound(
            f"There is no action {number} in “{learning_set.name}”; "
            "`actions mine` lists yours with their numbers.",
            example="actions mine",
        )
    if action.owner_id != turn.ctx.actor.user_id:
        raise NotAllowed(
            f"Action {number} is someone else's: only its owner reports back on it. "
            "`actions mine` lists yours.",
            example="actions mine",
        )
    return action


async def _meeting_id(turn: Turn) -> str:
    """The meeting a typed report-back belongs to: the open one, else the latest held."""
    set_id = turn.access.learning_set.id
    meeting = await turn.uow.held_meetings.open_in(set_id)
    meeting = meeting or await turn.uow.held_meetings.latest_in(set_id)
    return meeting.id if meeting is not None else ""


async def report_on(cmd: c.ReportOn, turn: Turn) -> Outcome:
    action = await _own_action(turn, cmd.number)
    if action.status is ActionStatus.DROPPED:
        raise NotAllowed(
            f"Action {cmd.number} was dropped, so there is nothing to report back on.",
            example="actions mine",
        )
    said = await answer(
        turn.uow,
        action,
        await _meeting_id(turn),
        ReportOutcome(cmd.outcome),
        turn.now,
        happened=cmd.happened,
    )
    return private(turn.ctx, said)


async def report_held_back(cmd: c.ReportHeldBack, turn: Turn) -> Outcome:
    action = await _own_action(turn, cmd.number)
    await held_back(
        turn.uow, action, await _meeting_id(turn), HeldBack(cmd.reason), turn.now, note=cmd.note
    )
    label = HELD_BACK_LABELS[HeldBack(cmd.reason)]
    return private(
        turn.ctx,
        Message.text(f"Noted, privately: action {action.number} was held back by {label}."),
    )


PRESSES = (
    PressKind(OUTCOME, press_outcome),
    PressKind(ANSWER, press_answer),
    PressKind(HELD, press_held),
    PressKind(HELD_NOTE, press_held_note),
)

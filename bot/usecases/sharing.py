"""`share`: a member sends their own sponsor what they choose — and nothing else.

A sponsor (`sponsor @a`) is linked to one member and never sees set content unless that
member shares it. `share N [note]` sends the sponsor action N as it stands (its text,
status, due moment and progress notes: the member's own words) with the note;
`share meeting [note]` sends the member's summary of the set's latest meeting: the
note, and the actions they committed at it. Nothing of other members travels: not their
names, words, actions or answers, and not the set's name.
"""

from __future__ import annotations

from bot import commands as c
from bot.errors import GrammarError, NotAllowed, NotFound
from bot.messages import Direct, Mention, Message, Moment, Outcome, Outgoing, Section, Text
from bot.model import Action, SponsorLink
from bot.usecases.replies import private
from bot.verbs import Turn


async def _sponsor(turn: Turn) -> SponsorLink:
    link = await turn.uow.sponsors.of_member(turn.access.learning_set.id, turn.ctx.actor.user_id)
    if link is None:
        raise NotFound(
            "You have no sponsor in this set to share with; name one first.",
            example="sponsor @director",
        )
    return link


def _action_section(action: Action) -> Section:
    fields: list[tuple[str, Text]] = [("status", Text.of(action.status.value))]
    if action.due_at is not None:
        fields.append(("due", Text.of(Moment(action.due_at))))
    for n, note in enumerate(action.notes, 1):
        fields.append((f"progress {n}", Text.of(note.text)))
    if action.closing_note:
        fields.append(("closing note", Text.of(action.closing_note)))
    return Section(Text.of(f"Action: {action.text}"), tuple(fields))


def _sent(turn: Turn, link: SponsorLink, what: str) -> Outcome:
    return private(
        turn.ctx, Message.text(f"Sent {what} to ", Mention(link.sponsor_id), ", your sponsor.")
    )


async def share_action(cmd: c.ShareAction, turn: Turn) -> Outcome:
    link = await _sponsor(turn)
    learning_set = turn.access.learning_set
    action = await turn.uow.actions.get(learning_set.id, cmd.number)
    if action is None:
        raise NotFound(
            f"There is no action {cmd.number}; `actions mine` lists yours.", example="actions mine"
        )
    if action.owner_id != turn.ctx.actor.user_id:
        raise NotAllowed(
            f"Action {cmd.number} is someone else's: you can share only your own.",
            example="actions mine",
        )
    head = Text.of(
        Mention(link.member_id), " shares progress on an action with you, their sponsor:"
    )
    blocks = [Section(head), _action_section(action)]
    if cmd.note:
        blocks.append(Section(Text.of("Their note: ", cmd.note)))
    to_sponsor = Outgoing(Direct(link.sponsor_id), Message(tuple(blocks)))
    return Outcome((to_sponsor,)) + _sent(turn, link, f"action {action.number}")


async def share_meeting(cmd: c.ShareMeeting, turn: Turn) -> Outcome:
    link = await _sponsor(turn)
    learning_set, me = turn.access.learning_set, turn.ctx.actor.user_id
    meeting = await turn.uow.held_meetings.latest_in(learning_set.id)
    if meeting is None:
        raise NotFound("The set has not met yet: there is no meeting to share.", example="share 1")
    mine = [
        a
        for a in await turn.uow.actions.of_set(learning_set.id)
        if a.owner_id == me
        and (
            a.meeting_id == meeting.id
            or meeting.opened_at <= a.created_at <= (meeting.closed_at or turn.now)
        )
    ]
    if not cmd.note and not mine:
        raise GrammarError(
            "You committed no action at the last meeting, so write your summary after it.",
            example="share meeting I saw how much I carry alone",
        )
    head = Text.of(
        Mention(me), " shares their summary of the meeting of ", Moment(meeting.opened_at), ":"
    )
    blocks = [Section(head)]
    if cmd.note:
        blocks.append(Section(Text.of(cmd.note)))
    blocks += [_action_section(a) for a in mine]
    to_sponsor = Outgoing(Direct(link.sponsor_id), Message(tuple(blocks)))
    return Outcome((to_sponsor,)) + _sent(turn, link, "your meeting summary")

"""Telling a set's facilitators that Revans cannot message a member privately.

Teams answers 403 when a bot opens or writes to a 1:1 chat with someone for whom the app is
not installed (personal scope). Their private messages (answers, forms, nudges, coaching)
are then dropped, not retried, and the facilitators of each set the message belonged to
(or, for a message tied to no place, of each set the person is in) are told once per member
and set: a kind private note naming only the person, with the two ways to fix it. The
report is claimed in the database before it is sent (`TeamsReferences.claim_report`), so a
restart or another replica does not repeat it; a report that could not be delivered is
released, so the next dropped message tries again. When no facilitator can be reached
privately either, the note goes to the set's place, addressed to the person.
"""

from __future__ import annotations

import logging
from typing import Protocol

from adapters.teams.connector import Forbidden, Json
from adapters.teams.references import PersonalChat, TeamsReferences
from bot.errors import DeliveryError, Undeliverable
from bot.messages import Mention, Message
from bot.model import LearningSet, Role, SetStatus
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)


class Sender(Protocol):
    """What the report needs of the Teams gateway."""

    async def render(self, message: Message) -> Json: ...
    async def send_personal(self, chat: PersonalChat, activity: Json) -> str: ...
    async def post(
        self, place_id: str, message: Message, *, thread_id: str | None = None
    ) -> str: ...


def facilitator_notice(user_id: str) -> Message:
    return Message.text(
        "I can't message ",
        Mention(user_id),
        " privately in Teams: Revans isn't installed for them, so they'll miss "
        "the reminders, forms and answers I send one to one. Two ways to fix it: ask your "
        "Teams admin to pre-install Revans for personal use (Teams admin centre → Setup "
        "policies → Installed apps), or ask ",
        Mention(user_id),
        " to open a chat with Revans (Apps → Revans → Open) and say hello. "
        "I'll only mention this once.",
    )


def place_notice(user_id: str) -> Message:
    return Message.text(
        "I can't message ",
        Mention(user_id),
        " privately yet, so you'll miss my reminders and forms: please open a chat with "
        "Revans (Apps → Revans → Open) and say hello, or ask your Teams admin to "
        "pre-install it for you.",
    )


class UnreachableReports:
    def __init__(self, sender: Sender, references: TeamsReferences, uow: UnitOfWorkFactory) -> None:
        self.sender = sender
        self.references = references
        self.uow = uow

    async def report(self, user_id: str, place_id: str | None, *, news: bool) -> None:
        """Tell each concerned set's facilitators (once) that `user_id` is unreachable;
        in a place of no set, the person there, when the refusal is `news`."""
        concerned = await self._concerned(user_id, place_id)
        if not concerned and news and place_id is not None:
            try:
                await self.sender.post(place_id, place_notice(user_id))
            except DeliveryError as exc:
                log.warning("teams: an unreachable member's notice failed (%s)", type(exc).__name__)
        told: set[str] = set()  # a facilitator of two of those sets hears it once
        for learning_set, facilitators in concerned:
            if not await self.references.claim_report(learning_set.id, user_id):
                continue
            try:
                await self._tell(learning_set, user_id, facilitators, told)
            except Undeliverable:  # the set's place is gone: nobody left to tell there
                log.info("teams: an unreachable member's report had nowhere to go")
            except DeliveryError as exc:
                log.warning("teams: an unreachable member's report failed (%s)", type(exc).__name__)
                await self.references.release_report(learning_set.id, user_id)

    async def _concerned(
        self, user_id: str, place_id: str | None
    ) -> list[tuple[LearningSet, list[str]]]:
        """The message's set, or (for a message tied to no set) every open set of the person,
        each with its facilitators other than the person."""
        async with self.uow() as uow:
            here = await uow.sets.get_by_place(place_id) if place_id else None
            if here is not None:
                sets = [here]
            else:
                found = [
                    await uow.sets.get(m.set_id) for m in await uow.memberships.of_user(user_id)
                ]
                sets = [s for s in found if s is not None]
            concerned = []
            for learning_set in sets:
                if learning_set.status is SetStatus.CLOSED:
                    continue
                active = await uow.memberships.list_active(learning_set.id)
                facilitators = [
                    m.user_id for m in active if m.role is Role.FACILITATOR and m.user_id != user_id
                ]
                concerned.append((learning_set, facilitators))
        return concerned

    async def _tell(
        self, learning_set: LearningSet, user_id: str, facilitators: list[str], told: set[str]
    ) -> None:
        notice = await self.sender.render(facilitator_notice(user_id))
        reached = False
        for facilitator in facilitators:
            if facilitator in told:
                reached = True
                continue
            chat = await self.references.personal_chat(facilitator)
            if chat is None or chat.refused_at is not None:
                continue
            try:
                await self.sender.send_personal(chat, notice)
            except Forbidden:
                await self.references.mark_refused(facilitator)
                continue
            told.add(facilitator)
            reached = True
        if not reached:
            await self.sender.post(learning_set.place_id, place_notice(user_id))

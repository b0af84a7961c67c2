"""`TeamsGateway`: the core's `ChatGateway` for Microsoft Teams.

Public messages go to the place's stored conversation (a channel reply chain when
a thread id is given); private and direct messages go to the user's 1:1 chat with
the bot, created proactively (`POST /v3/conversations`) when none is stored yet.

A 403 on a 1:1 means the app is not installed for that user. It is recorded (so
later private messages to them are dropped, not retried every time, until they
install the app or write to the bot) and reported once per member and set
(`adapters.teams.unreachable`): privately to the set's facilitators, or, failing that,
in the set's place itself, never with any of the message's content. A message for a
place that is itself a 1:1 chat, refused with 403, is `Undeliverable`: dropped, not retried.

Every call passes the conversation's tenant to the connector, which paces it per
conversation and per tenant (`adapters.pacing`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from adapters.teams.cards import render_activity, render_form
from adapters.teams.connector import ConnectorPool, Forbidden, Json
from adapters.teams.files import ConsentAnswer, PendingFiles, consent_card, file_info_card
from adapters.teams.references import PersonalChat, TeamsReferences
from adapters.teams.translate import ConversationRef
from adapters.teams.unreachable import UnreachableReports
from bot.errors import DeliveryError, FilesUnavailable, Undeliverable
from bot.messages import Form, Mention, Message, Section, Text
from bot.ports import ChatGateway, UnitOfWorkFactory

log = logging.getLogger(__name__)


def mentioned_users(message: Message) -> set[str]:
    users: set[str] = set()
    for block in message.blocks:
        if isinstance(block, Section):
            texts: Iterable[Text] = (block.text, *(value for _, value in block.fields))
            for text in texts:
                users.update(p.user_id for p in text.parts if isinstance(p, Mention))
    return users


class TeamsGateway:
    def __init__(
        self,
        pool: ConnectorPool,
        references: TeamsReferences,
        uow: UnitOfWorkFactory,
        files: PendingFiles | None = None,
    ) -> None:
        self.pool = pool
        self.references = references
        self.uow = uow
        self.files = files
        self._opening: dict[str, asyncio.Future[ConversationRef]] = {}
        """1:1 chats being opened, by user id: messages sent at once share one opening."""
        self.unreachable = UnreachableReports(self, references, uow)

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        ref = await self._conversation(place_id)
        activity = await self.render(message)
        connector = self.pool.for_service(ref.service_url)
        if thread_id and ref.conversation_type == "channel":
            chain = f"{ref.conversation_id};messageid={thread_id}"
            return await connector.reply(chain, thread_id, activity, tenant_id=ref.tenant_id)
        try:
            return await connector.send(ref.conversation_id, activity, tenant_id=ref.tenant_id)
        except Forbidden as exc:
            if ref.conversation_type == "personal":  # uninstalled by its person: dropped
                raise Undeliverable("Teams refused a message to a 1:1 chat (403)") from exc
            raise

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        await self._to_person(user_id, await self.render(message), place_id)

    async def direct(self, user_id: str, message: Message) -> str:
        return await self._to_person(user_id, await self.render(message), None)

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        ref = await self._conversation(place_id)
        connector = self.pool.for_service(ref.service_url)
        activity = await self.render(message)
        await connector.update(ref.conversation_id, message_ref, activity, tenant_id=ref.tenant_id)

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        """A card in the user's 1:1 for no place in particular (Teams needs no trigger:
        a form asked for in a place is opened through `answering(place)`)."""
        await self.open_form_for(None, user_id, form)

    async def open_form_for(self, origin: str | None, user_id: str, form: Form) -> None:
        """A card in the user's 1:1 that carries `origin`, the place the form was asked
        for, back with its submission."""
        await self._to_person(user_id, render_form(form, origin), origin)

    def answering(self, origin: str | None) -> ChatGateway:
        """This gateway, for the outcome of an interaction in `origin`: its forms belong there."""
        return self if origin is None else Answering(self, origin)

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        """Hold the file and ask its reader in their 1:1 (a file consent card); it is
        uploaded when they allow it (`answer_file_consent`)."""
        if self.files is None:
            raise FilesUnavailable("this Teams gateway has no store for files awaiting consent")
        file_id = await self.files.hold(user_id, filename, content)
        await self._to_person(user_id, consent_card(file_id, filename, len(content)), None)

    async def answer_file_consent(self, answer: ConsentAnswer) -> None:
        """Allowed: upload the held file where Teams said and show it in the 1:1 chat;
        declined: forget it. An id not held for this person is ignored."""
        if self.files is None:
            return
        held = await self.files.held(answer.file_id, answer.user_id)
        if held is None:
            log.info("teams: a file consent answer for no file held for its sender was ignored")
            return
        if answer.accepted:
            await self.files.upload(str(answer.upload["uploadUrl"]), held.body)
            await self._to_person(answer.user_id, file_info_card(answer.upload), None)
        await self.files.forget(answer.file_id)

    # --- internals --------------------------------------------------------------------

    async def _conversation(self, place_id: str) -> ConversationRef:
        ref = await self.references.conversation(place_id)
        if ref is None:  # never written in, or Revans was removed from it
            raise Undeliverable("no Teams conversation is stored for this place")
        return ref

    async def render(self, message: Message) -> Json:
        names: dict[str, str] = {}
        users = mentioned_users(message)
        if users:
            async with self.uow() as uow:
                for user_id in users:
                    person = await uow.people.get(user_id)
                    names[user_id] = person.display_name if person else "someone"
        return render_activity(message, name_of=lambda uid: names.get(uid, "someone"))

    async def _to_person(self, user_id: str, activity: Json, place_id: str | None) -> str:
        """Send to the user's 1:1; where Teams refuses it (403, now or before) the
        message is dropped and the set's facilitators are told, once."""
        chat = await self.references.personal_chat(user_id)
        if chat is None:
            raise DeliveryError("no Teams member record for this user; cannot reach them")
        news = False
        if chat.refused_at is None:
            try:
                return await self.send_personal(chat, activity)
            except Forbidden:
                news = await self.references.mark_refused(user_id)
                if news:
                    log.warning("teams: 1:1 refused (403); the app is not installed for a user")
        log.info("teams: a private message was dropped; the app is not installed for the user")
        await self.unreachable.report(user_id, place_id, news=news)
        return ""

    async def send_personal(self, chat: PersonalChat, activity: Json) -> str:
        connector = self.pool.for_service(chat.member.service_url)
        ref = chat.reference or await self._personal_reference(chat)
        return await connector.send(ref.conversation_id, activity, tenant_id=ref.tenant_id)

    async def _personal_reference(self, chat: PersonalChat) -> ConversationRef:
        user_id = chat.member.user_id
        opening = self._opening.get(user_id)
        if opening is None:
            opening = asyncio.ensure_future(self._open_once(chat))
            self._opening[user_id] = opening
            opening.add_done_callback(lambda _: self._opening.pop(user_id, None))
        return await asyncio.shield(opening)

    async def _open_once(self, chat: PersonalChat) -> ConversationRef:
        """Open the 1:1 unless an opening that finished meanwhile stored it.

        Reads the table, not the memory: a reader that loaded the row while another
        opening was storing its reference may have cached it without one.
        """
        fresh = await self.references.personal_chat(chat.member.user_id, fresh=True)
        if fresh is not None and fresh.reference is not None:
            return fresh.reference
        return await self._open_personal_chat(chat)

    async def _open_personal_chat(self, chat: PersonalChat) -> ConversationRef:
        member = chat.member
        parameters: Json = {
            "isGroup": False,
            "bot": {"id": member.bot_id},
            "members": [{"id": member.member_id}],
            "tenantId": member.tenant_id,
            "channelData": {"tenant": {"id": member.tenant_id}},
        }
        created = await self.pool.for_service(member.service_url).create_conversation(parameters)
        if not created.get("id"):
            raise DeliveryError("bot connector created a conversation without an id")
        ref = ConversationRef(
            service_url=member.service_url,
            conversation_id=str(created["id"]),
            conversation_type="personal",
            bot_id=member.bot_id,
            bot_name=member.bot_name,
            tenant_id=member.tenant_id,
        )
        await self.references.set_personal_reference(member.user_id, ref)
        return ref


class Answering:
    """The Teams gateway for the outcome of one interaction in `origin` (a place id):
    what it sends goes as usual; a form it opens carries `origin` back with its submission
    (as Slack's `CommandReplies` puts the place in a modal's metadata)."""

    def __init__(self, gateway: TeamsGateway, origin: str) -> None:
        self.gateway = gateway
        self.origin = origin

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        return await self.gateway.post(place_id, message, thread_id=thread_id)

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        await self.gateway.post_private(place_id, user_id, message)

    async def direct(self, user_id: str, message: Message) -> str:
        return await self.gateway.direct(user_id, message)

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        await self.gateway.update(place_id, message_ref, message)

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        await self.gateway.open_form_for(self.origin, user_id, form)

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        await self.gateway.send_file(user_id, filename, content)

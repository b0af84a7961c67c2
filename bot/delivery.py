"""Sending an outcome through the chat gateway, in order.

Messages the core wants to name later (a round's message, updated in place as its
phases change, and the root of its thread) carry `Outgoing.remember`: a key such as
"round:ID". The core cannot know the platform's ref of such a message when its
handler runs (messages leave after the transaction commits), so the sender keeps it:
after posting, `deliver` hands the ref to a `RefBook`; for an `Update` or a
`Public.thread_of` it asks the book for the ref again. Without a book, or for a key
the book does not know (the message was never sent), an update is posted as a new
message and a thread reply goes to the top level: never a crash, never silence.
"""

from __future__ import annotations

import dataclasses
from typing import Protocol

from bot.errors import FilesUnavailable
from bot.messages import Direct, Message, Outcome, Outgoing, Private, Public, Update
from bot.ports import ChatGateway, UnitOfWorkFactory


class RefBook(Protocol):
    """Where the sender keeps and finds the refs of remembered messages."""

    async def remember(self, key: str, place_id: str, ref: str) -> None: ...
    async def ref_of(self, key: str) -> str | None: ...


async def deliver(gateway: ChatGateway, outcome: Outcome, refs: RefBook | None = None) -> None:
    """Send the outcome's messages, then its forms, in order (see the module docstring)."""
    for item in outcome.messages:
        await deliver_one(gateway, item, refs)
    for form in outcome.forms:
        await gateway.open_form(form.trigger or "", form.user_id, form.form)


FILES_UNAVAILABLE = (
    "I could not send you the file: sending files is not available here yet. "
    "Try again from Slack, or ask your administrator."
)


async def deliver_one(gateway: ChatGateway, item: Outgoing, refs: RefBook | None = None) -> None:
    if item.message.attachment is not None:
        item = await _send_attachment(gateway, item)
    to = item.to
    ref: str | None = None
    where = ""
    if isinstance(to, Update):
        known = await refs.ref_of(to.remembered) if refs else None
        if known is not None:
            await gateway.update(to.place_id, known, item.message)
            return
        ref, where = await gateway.post(to.place_id, item.message), to.place_id
        # the new post stands for the lost one: later updates replace it instead
        await _keep(refs, to.remembered, where, ref)
    elif isinstance(to, Public):
        thread = to.thread_id or await _thread(refs, to.thread_of)
        ref, where = await gateway.post(to.place_id, item.message, thread_id=thread), to.place_id
    elif isinstance(to, Private):
        await gateway.post_private(to.place_id, to.user_id, item.message, thread_id=to.thread_id)
    elif isinstance(to, Direct):
        ref, where = await gateway.direct(to.user_id, item.message), to.user_id
    if item.remember and ref is not None:
        await _keep(refs, item.remember, where, ref)


async def _send_attachment(gateway: ChatGateway, item: Outgoing) -> Outgoing:
    """Send the message's file to its reader; the item to send next is its text, or, where
    the platform cannot send files, a private note saying so (never a crash or a retry)."""
    attachment, to = item.message.attachment, item.to
    assert attachment is not None
    if not isinstance(to, Private | Direct):
        raise ValueError("a file goes to one reader (Private or Direct), never to a place")
    text_only = dataclasses.replace(item.message, attachment=None)
    try:
        await gateway.send_file(to.user_id, attachment.filename, attachment.content)
    except FilesUnavailable:
        text_only = Message.text(FILES_UNAVAILABLE, kind="error")
    return dataclasses.replace(item, message=text_only)


async def _thread(refs: RefBook | None, key: str | None) -> str | None:
    return await refs.ref_of(key) if refs and key else None


async def _keep(refs: RefBook | None, key: str, place_id: str, ref: str) -> None:
    if refs is not None:
        await refs.remember(key, place_id, ref)


class StoredRefs:
    """A `RefBook` over the store's `MessageRefs`, one short transaction per call (the
    command's own transaction has committed by the time its messages are sent)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def remember(self, key: str, place_id: str, ref: str) -> None:
        async with self.uow() as uow:
            await uow.message_refs.remember(key, place_id, ref)
            await uow.commit()

    async def ref_of(self, key: str) -> str | None:
        async with self.uow() as uow:
            return await uow.message_refs.ref_of(key)

"""Sending an outcome through the chat gateway, in order."""

from __future__ import annotations

from bot.messages import Direct, Outcome, Private, Public
from bot.ports import ChatGateway


async def deliver(gateway: ChatGateway, outcome: Outcome) -> None:
    for item in outcome.messages:
        to = item.to
        if isinstance(to, Private):
            await gateway.post_private(to.place_id, to.user_id, item.message)
        elif isinstance(to, Public):
            await gateway.post(to.place_id, item.message, thread_id=to.thread_id)
        elif isinstance(to, Direct):
            await gateway.direct(to.user_id, item.message)
    for form in outcome.forms:
        await gateway.open_form(form.trigger or "", form.user_id, form.form)

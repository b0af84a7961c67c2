"""Answers to one slash command: the gateway, with the command's `response_url` as a fallback.

Private answers go by `chat.postEphemeral` first: it works for any private message
the core produces (not only the answer to the current command), goes through the
same client, retry handler and rate-limit mapping as every other call, and leaves
the 5 uses / 30 minutes of the `response_url` untouched. Its one gap is a channel
the bot is not in (a private channel or a group DM where someone ran `/set`): Slack
answers `not_in_channel` / `channel_not_found`, and then — for this command's place
only — the answer goes through the `response_url`, which works wherever the command
was typed. Public answers fall back the same way (`response_type: in_channel`).

A submitted form (modal) has no `response_url`: there the caller's private answer
for an unreachable place goes to their direct messages instead. Forms the outcome
asks for open with the place in their metadata, so the submission answers there too.
"""

from __future__ import annotations

from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.blocks import message_payload
from adapters.slack.gateway import SlackGateway, SlackRefused
from adapters.slack.translate import form_metadata
from bot.errors import DeliveryError
from bot.messages import Form, Message
from bot.model import PlaceKind

NOT_REACHABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


class CommandReplies:
    """A `ChatGateway` for the outcome of one command `caller_id` typed in `place_id`.

    Only the caller sees an ephemeral `response_url` answer, so a private message for
    anyone else is never sent that way.
    """

    def __init__(
        self,
        gateway: SlackGateway,
        place_id: str,
        caller_id: str,
        response_url: str | None,
        *,
        kind: PlaceKind | None = None,
    ) -> None:
        self.gateway = gateway
        self.place_id = place_id
        self.kind = kind
        self.caller_id = caller_id
        self.response_url = response_url

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        try:
            return await self.gateway.post(place_id, message, thread_id=thread_id)
        except SlackRefused as exc:
            if not (self.response_url and self._can_fall_back(place_id, exc)) or thread_id:
                raise
        await self._respond(message, "in_channel")
        return ""  # a response_url answer has no message ref

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        try:
            await self.gateway.post_private(place_id, user_id, message, thread_id=thread_id)
            return
        except SlackRefused as exc:
            if user_id != self.caller_id or not self._can_fall_back(place_id, exc):
                raise
        if self.response_url:
            await self._respond(message, "ephemeral")
        else:
            await self.gateway.direct(user_id, message)

    async def direct(self, user_id: str, message: Message) -> str:
        return await self.gateway.direct(user_id, message)

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        await self.gateway.update(place_id, message_ref, message)

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        metadata = form_metadata(self.place_id, self.kind)
        await self.gateway.open_form(trigger, user_id, form, metadata=metadata)

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        await self.gateway.send_file(user_id, filename, content)

    def _can_fall_back(self, place_id: str | None, exc: SlackRefused) -> bool:
        return place_id == self.place_id and exc.error in NOT_REACHABLE

    async def _respond(self, message: Message, response_type: str) -> None:
        assert self.response_url
        payload = message_payload(message)
        payload.pop("metadata", None)
        try:
            response = await AsyncWebhookClient(self.response_url).send(
                response_type=response_type, replace_original=False, **payload
            )
        except Exception as exc:
            raise DeliveryError(f"slack response_url: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise DeliveryError(f"slack response_url: HTTP {response.status_code}")

"""`SlackGateway`: the core's `ChatGateway` over the Slack Web API.

The client retries rate-limited calls once itself (after `Retry-After`); what still
fails becomes `RateLimited(retry_after)` or `DeliveryError` naming the method and
Slack's error code, never the message text. In multi-workspace mode each call carries
the bot token of the workspace its place or person belongs to (`tokens`); a workspace
Revans is not installed in is refused as `not_installed` before anything is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.pacing import SLACK_CHANNEL_WINDOWS, SLACK_WORKSPACE_WINDOWS, Pacer
from adapters.slack.blocks import message_payload, modal_view
from adapters.slack.translate import parse_id
from bot.errors import DeliveryError, RateLimited
from bot.messages import Form, Message

log = logging.getLogger(__name__)

ErrorCounter = Callable[[str, str], None]
"""Called with (method, Slack error code) for every failed call; counts only."""
TokenSource = Callable[[str], Awaitable[str | None]]
"""The bot token of a workspace by its team id (multi-workspace mode); None if Revans is
not installed there."""
CLIENTS_KEPT = 256
"""Web API clients kept, one per workspace token (they share one HTTP session)."""


def _ignore(method: str, error: str) -> None:
    return None


class SlackRefused(DeliveryError):
    """Slack answered `ok: false`; `error` is its code (e.g. `not_in_channel`)."""

    def __init__(self, method: str, error: str) -> None:
        super().__init__(f"slack {method}: {error}")
        self.method = method
        self.error = error


UNREACHABLE = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "user_not_in_channel"}
)
"""Slack's refusals of an ephemeral message that a direct message gets round."""


class SlackGateway:
    def __init__(
        self,
        client: AsyncWebClient,
        *,
        on_error: ErrorCounter = _ignore,
        channels: Pacer | None = None,
        workspaces: Pacer | None = None,
        tokens: TokenSource | None = None,
    ) -> None:
        self.client = client
        """Single-workspace mode: carries SLACK_BOT_TOKEN. Multi-workspace mode: carries
        no token; each workspace's client (`_client`) is a copy with that one's token."""
        self.tokens = tokens
        self._clients: dict[str, AsyncWebClient] = {}
        self.on_error = on_error
        self.channels = channels or Pacer(windows=SLACK_CHANNEL_WINDOWS)
        """Posts and updates per channel (DMs included): about one a second, with short
        bursts; ephemeral answers, seen by one person, count for the workspace only."""
        self.workspaces = workspaces or Pacer(windows=SLACK_WORKSPACE_WINDOWS)

    async def _turn(self, team_id: str, channel: str) -> None:
        """Wait for a turn to post in `channel` of `team_id` (`adapters.pacing`); a turn
        too far away is `RateLimited`, and the outbox re-queues the message."""
        await self.workspaces.turn(team_id)
        await self.channels.turn(f"{team_id}:{channel}")

    async def _client(self, opaque_id: str, method: str) -> AsyncWebClient:
        """The client holding the bot token of the workspace `opaque_id` belongs to."""
        if self.tokens is None:
            return self.client
        team = parse_id(opaque_id).team_id
        token = await self.tokens(team)
        if not token:
            self.on_error(method, "not_installed")
            raise SlackRefused(method, "not_installed")
        client = self._clients.pop(token, None) or self._copy(token)
        self._clients[token] = client  # most recently used last
        while len(self._clients) > CLIENTS_KEPT:
            del self._clients[next(iter(self._clients))]
        return client

    def _copy(self, token: str) -> AsyncWebClient:
        base = self.client
        return AsyncWebClient(
            token=token,
            base_url=base.base_url,
            session=base.session,
            timeout=base.timeout,
            retry_handlers=base.retry_handlers,
            logger=base.logger,
        )

    async def call(
        self, method: str, send: Callable[[], Awaitable[AsyncSlackResponse]]
    ) -> AsyncSlackResponse:
        try:
            return await send()
        except SlackApiError as exc:
            raise self._api_error(method, exc.response) from None
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            self.on_error(method, "connection")
            raise DeliveryError(f"slack {method}: {type(exc).__name__}") from None

    def _api_error(self, method: str, response: Any) -> DeliveryError:
        data = getattr(response, "data", None)
        # A proxy's HTML error page arrives as text, not Slack's JSON.
        error = str(data.get("error") or "unknown") if isinstance(data, dict) else "unknown"
        self.on_error(method, error)
        if error == "ratelimited" or getattr(response, "status_code", None) == 429:
            headers = {k.lower(): v for k, v in (response.headers or {}).items()}
            raw = headers.get("retry-after", "1")
            raw = raw[0] if isinstance(raw, list) else raw
            return RateLimited(retry_after_seconds(raw))
        return SlackRefused(method, error)

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        channel = parse_id(place_id).slack_id
        client = await self._client(place_id, "chat.postMessage")
        await self._turn(parse_id(place_id).team_id, channel)
        payload = message_payload(message)
        if thread_id:
            payload["thread_ts"] = thread_id
        response = await self.call(
            "chat.postMessage", lambda: client.chat_postMessage(channel=channel, **payload)
        )
        return str(response.get("ts") or "")

    async def posted_with_key(self, place_id: str, key: str, since: datetime) -> bool:
        """Whether a message carrying `key` as its metadata was posted to `place_id` since
        `since` (the outbox's check before re-sending after a crash)."""
        channel = parse_id(place_id).slack_id
        client = await self._client(place_id, "conversations.history")
        response = await self.call(
            "conversations.history",
            lambda: client.conversations_history(
                channel=channel,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=100,
            ),
        )
        for found in response.get("messages") or []:
            metadata = found.get("metadata") if isinstance(found, dict) else None
            payload = metadata.get("event_payload") if isinstance(metadata, dict) else None
            if isinstance(payload, dict) and payload.get("key") == key:
                return True
        return False

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        """An ephemeral message; one meant for a thread goes to the thread, and to the
        person's direct messages if Slack cannot show it in the place."""
        if place_id is None:
            await self.direct(user_id, message)
            return
        channel, user = parse_id(place_id).slack_id, parse_id(user_id).slack_id
        payload = message_payload(message)
        payload.pop("metadata", None)  # ephemeral messages carry no metadata
        if thread_id:
            payload["thread_ts"] = thread_id
        client = await self._client(place_id, "chat.postEphemeral")
        await self.workspaces.turn(parse_id(place_id).team_id)  # not a post in the channel
        try:
            await self.call(
                "chat.postEphemeral",
                lambda: client.chat_postEphemeral(channel=channel, user=user, **payload),
            )
        except SlackRefused as exc:
            if not thread_id or exc.error not in UNREACHABLE:
                raise
            await self.direct(user_id, message)

    async def direct(self, user_id: str, message: Message) -> str:
        channel = await self._open_dm(user_id)
        client = await self._client(user_id, "chat.postMessage")
        await self._turn(parse_id(user_id).team_id, channel)
        response = await self.call(
            "chat.postMessage",
            lambda: client.chat_postMessage(channel=channel, **message_payload(message)),
        )
        return str(response.get("ts") or "")

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        channel = parse_id(place_id).slack_id
        client = await self._client(place_id, "chat.update")
        await self._turn(parse_id(place_id).team_id, channel)
        await self.call(
            "chat.update",
            lambda: client.chat_update(channel=channel, ts=message_ref, **message_payload(message)),
        )

    async def open_form(
        self, trigger: str, user_id: str, form: Form, *, metadata: str | None = None
    ) -> None:
        """`trigger` is the interaction's trigger_id (valid for 3 s after it was sent).

        Slack opens a modal only in answer to an interaction: with no trigger there is
        nothing to call, so this refuses before calling. `metadata` is the modal's
        `private_metadata` (where the submission's answer belongs).
        """
        if not trigger:
            self.on_error("views.open", "no_trigger")
            raise DeliveryError("slack views.open: no trigger_id, so no form can open")
        view = modal_view(form, metadata)
        client = await self._client(user_id, "views.open")
        await self.call("views.open", lambda: client.views_open(trigger_id=trigger, view=view))

    async def publish_home(self, user_id: str, view: dict[str, Any]) -> None:
        """`views.publish`: the person's App Home tab (`adapters.slack.home`)."""
        ref = parse_id(user_id)
        client = await self._client(user_id, "views.publish")
        await self.workspaces.turn(ref.team_id)  # seen by one person: no channel's turn
        await self.call(
            "views.publish",
            lambda: client.views_publish(user_id=ref.slack_id, view=view),
        )

    async def user_info(self, user_id: str) -> dict[str, Any]:
        """`users.info` for one of our user ids (needs the `users:read` scope)."""
        user = parse_id(user_id).slack_id
        client = await self._client(user_id, "users.info")
        response = await self.call("users.info", lambda: client.users_info(user=user))
        found = response.get("user")
        return dict(found) if isinstance(found, dict) else {}

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        channel = await self._open_dm(user_id)
        client = await self._client(user_id, "files.upload")
        await self.call(
            "files.upload",
            lambda: client.files_upload_v2(
                channel=channel, filename=filename, content=content, title=filename
            ),
        )

    async def _open_dm(self, user_id: str) -> str:
        user = parse_id(user_id).slack_id
        client = await self._client(user_id, "conversations.open")
        response = await self.call(
            "conversations.open", lambda: client.conversations_open(users=user)
        )
        channel = (response.get("channel") or {}).get("id")
        if not channel:
            raise DeliveryError("slack conversations.open: no channel in the answer")
        return str(channel)


def retry_after_seconds(raw: object) -> float:
    """Slack's `Retry-After` in seconds; anything unreadable (or absurd) means 1 s."""
    try:
        seconds = float(str(raw).strip())
    except ValueError:
        return 1.0
    return seconds if 0 <= seconds <= 3600 else 1.0

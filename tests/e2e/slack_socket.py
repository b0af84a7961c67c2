"""Talking to `revans serve --socket-mode` as Slack does: envelopes over the fake socket.

`SocketSender` is a `SlackSender` whose deliveries go as Socket Mode envelopes instead
of signed POSTs, so every scenario helper (`command`, `event`, `view_submission`,
`a_set_of_three`, …) runs unchanged over the socket. A delivery "answers" once the app
has acknowledged its envelope: (200, the acknowledgement's payload as JSON or "").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from tests.e2e.slack_client import RevansServer, SlackSender
from tests.fakes.slack_socket_mode import Envelope, FakeSocketMode
from tests.fakes.slack_web_api import FakeSlack


def socket_server(tmp_path: Path, db_url: str, fake: FakeSlack, **env: str) -> RevansServer:
    """`revans serve --socket-mode` with the fake's app token and no signing secret."""
    return RevansServer(
        tmp_path,
        db_url,
        fake,
        "--socket-mode",
        SLACK_SIGNING_SECRET="",
        SLACK_APP_TOKEN=fake.app_token,
        **env,
    )


def envelope_of(body: str, content_type: str) -> tuple[str, dict[str, Any]]:
    """The Socket Mode envelope type and payload of a body Slack would have POSTed."""
    if content_type == "application/json":
        return "events_api", json.loads(body)
    form = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in form:
        return "interactive", json.loads(form["payload"])
    return "slash_commands", form


class SocketSender(SlackSender):
    def __init__(self, server: RevansServer, fake: FakeSlack, socket: FakeSocketMode) -> None:
        super().__init__(server, fake)
        self.socket = socket
        self.sent: list[Envelope] = []

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = "",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        kind, payload = envelope_of(body, content_type)
        retry = int((headers or {}).get("X-Slack-Retry-Num") or 0)
        envelope = await self.socket.push(kind, payload, retry_attempt=retry)
        self.sent.append(envelope)
        ack = await self.socket.acked(envelope)
        return 200, json.dumps(ack["payload"]) if "payload" in ack else ""

"""Running `revans serve` as a process against the fake Slack, and talking to it as Slack does.

Requests are signed like Slack signs them (`v0=` HMAC-SHA256 over `v0:{ts}:{body}`
with the signing secret); payloads follow Slack's recorded shapes.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.e2e.cli import revans_env
from tests.fakes.local_server import free_port
from tests.fakes.slack_web_api import TEAM, FakeSlack
from tests.polling import eventually

SECRET = "fake-signing-secret-0123456789"
CHANNEL = "C0SET"
SERVE = (sys.executable, "-m", "adapters.cli", "serve", "--host", "127.0.0.1")
FAC, MEMBERS = "UFAY", ["UANN", "UBEN", "UCHE", "UDAN"]
"""The Slack scenarios' facilitator and members."""


def ephemerals_to(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    """What `user` was shown privately, in order."""
    return [c.args for c in fake.ok_calls("chat.postEphemeral") if c.args["user"] == user]


def sign(body: str, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class RevansServer:
    """The real server process; its combined output goes to a file for leak checks.

    `args` are added to `revans serve` (e.g. `--socket-mode`); `env` wins over the
    defaults (an empty value unsets one)."""

    def __init__(
        self, tmp_path: Path, db_url: str, fake: FakeSlack, *args: str, **env: str
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "serve.log"
        defaults = {
            "DATABASE_URL": db_url,
            "SLACK_BOT_TOKEN": fake.token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": f"{fake.url}api/",
            "LOG_LEVEL": "DEBUG",
        }
        self.env = revans_env(**{**defaults, **env})
        self.args = args
        self.cwd = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    async def __aenter__(self) -> RevansServer:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*SERVE, "--port", str(self.port), *self.args],
            env=self.env,
            cwd=self.cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        await self._wait_healthy()
        return self

    async def _wait_healthy(self, timeout: float = 30.0) -> None:
        async with aiohttp.ClientSession() as session:

            async def healthy() -> bool:
                assert self.process and self.process.poll() is None, self.output()
                try:
                    async with session.get(f"{self.url}/healthz") as response:
                        return response.status == 200
                except aiohttp.ClientError:
                    return False

            await eventually(
                healthy, timeout=timeout, what="revans serve to be healthy", explain=self.output
            )

    async def __aexit__(self, *exc: object) -> None:
        assert self.process
        self.process.terminate()
        try:
            await asyncio.to_thread(self.process.wait, 20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            await asyncio.to_thread(self.process.wait, 5)
        self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def read_output(self) -> str:
        return self.output()

    @property
    def returncode(self) -> int | None:
        return self.process.returncode if self.process else None


class SlackSender:
    """Sends signed deliveries to `/slack/events` as Slack would."""

    def __init__(self, server: RevansServer, fake: FakeSlack) -> None:
        self.server = server
        self.fake = fake
        self._ids = itertools.count(1)

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts, secret),
            **(headers or {}),
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.server.url}/slack/events", data=body, headers=all_headers) as r,
        ):
            return r.status, await r.text()

    def command_body(
        self,
        user: str,
        text: str,
        *,
        channel: str = CHANNEL,
        trigger: str | None = None,
        command: str = "/set",
        team: str = TEAM,
    ) -> str:
        n = next(self._ids)
        return urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": team,
                "team_domain": "fake",
                "channel_id": channel,
                "channel_name": "privategroup" if channel.startswith("G") else "set-room",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0REVANS",
                "is_enterprise_install": "false",
                "response_url": f"{self.fake.url}response/{n}",
                "trigger_id": trigger or f"{n}.1234.abcdef{n}",
            }
        )

    async def command(self, user: str, text: str, **kwargs: Any) -> tuple[int, str]:
        return await self.post(
            self.command_body(user, text, **kwargs), "application/x-www-form-urlencoded"
        )

    def view_submission_body(
        self, user: str, view: dict[str, Any], values: dict[str, str | None]
    ) -> str:
        """A `view_submission` for an opened `view`, each input's action id set to a value."""
        n = next(self._ids)
        state: dict[str, Any] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                continue
            action = block["element"]["action_id"]
            if action in values:
                typed = {"type": block["element"]["type"], "value": values[action]}
                state[block["block_id"]] = {action: typed}
        submitted = {k: v for k, v in view.items() if k != "trigger_id"}
        submitted["state"] = {"values": state}
        payload = {
            **interaction("view_submission", user, f"{n}.5678.view{n}"),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return urlencode({"payload": json.dumps(payload)})

    async def view_submission(
        self, user: str, view: dict[str, Any], values: dict[str, str | None]
    ) -> tuple[int, str]:
        return await self.post(
            self.view_submission_body(user, view, values), "application/x-www-form-urlencoded"
        )

    def event_body(
        self, event: dict[str, Any], *, event_id: str | None = None, team: str = TEAM
    ) -> str:
        return json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": team,
                "api_app_id": "A0REVANS",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [
                    {"team_id": team, "user_id": "UBOT", "is_bot": True, "enterprise_id": None}
                ],
            }
        )

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        team: str = TEAM,
    ) -> tuple[int, str]:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(
            self.event_body(event, event_id=event_id, team=team),
            "application/json",
            headers=headers if retry else None,
        )


def message(user: str, text: str, ts: str, *, thread_ts: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": CHANNEL,
        "channel_type": "channel",
        "event_ts": ts,
        "team": TEAM,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def app_mention(user: str, text: str, ts: str, *, thread_ts: str | None = None) -> dict[str, Any]:
    event = message(user, text, ts, thread_ts=thread_ts)
    event["type"] = "app_mention"
    del event["channel_type"]
    return event


def interaction(kind: str, user: str, trigger: str) -> dict[str, Any]:
    """The fields every interactive payload from Slack starts with."""
    return {
        "type": kind,
        "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A0REVANS",
        "token": "legacy-verification-token",
        "trigger_id": trigger,
    }


def button_press(user: str, button: dict[str, Any], trigger: str, **where: Any) -> str:
    """A signed-to-be `block_actions` body: `user` pressed `button`, as Slack sends it;
    `where` holds the fields that say where the button was (container, channel, view…)."""
    payload = {
        **interaction("block_actions", user, trigger),
        **where,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b1",
                "value": button["value"],
                "action_ts": "1700000900.000001",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})

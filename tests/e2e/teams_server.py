"""Running the real `revans serve` process for the Teams tests, and Teams activities
shaped like the ones the Bot Connector posts (recorded-style JSON)."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.e2e.cli import revans_env
from tests.fakes.local_server import free_port
from tests.polling import eventually

TENANT = "tenant-0001"
BOT = {"id": "28:revans-bot", "name": "Revans"}
CHANNEL = "19:ward-leaders@thread.tacv2"
Json = dict[str, Any]
_ids = itertools.count(1_700_000_000_001)


@dataclass(frozen=True)
class Person:
    name: str

    @property
    def member_id(self) -> str:
        return f"29:{self.name.lower()}"

    @property
    def aad(self) -> str:
        return f"aad-{self.name.lower()}"

    @property
    def user_id(self) -> str:
        return f"teams:{self.aad}"

    @property
    def account(self) -> Json:
        return {"id": self.member_id, "name": self.name, "aadObjectId": self.aad}


def mention(person: Person | None = None) -> Json:
    mentioned = person.account if person else BOT
    return {"type": "mention", "text": f"<at>{mentioned['name']}</at>", "mentioned": mentioned}


def activity(
    sender: Person,
    text: str,
    *,
    service_url: str,
    conversation: str = CHANNEL,
    kind: str = "channel",
    entities: list[Json] | None = None,
    activity_type: str = "message",
    activity_id: str | None = None,
    event_type: str | None = None,
) -> Json:
    channel_data: Json = {"tenant": {"id": TENANT}}
    if kind == "channel":
        channel_data["team"] = {"id": "19:team@thread.tacv2"}
        channel_data["channel"] = {"id": conversation.split(";")[0]}
    if event_type:
        channel_data["eventType"] = event_type
    return {
        "type": activity_type,
        "id": activity_id or str(next(_ids)),
        "timestamp": "2026-11-24T09:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": sender.account,
        "conversation": {
            "id": conversation,
            "conversationType": kind,
            "tenantId": TENANT,
            **({"isGroup": True} if kind != "personal" else {}),
        },
        "recipient": BOT,
        "textFormat": "plain",
        "text": text,
        "entities": entities or [],
        "channelData": channel_data,
        "locale": "en-GB",
        "localTimezone": "Europe/London",
    }


def command(sender: Person, words: str, *, service_url: str, **kwargs: Any) -> Json:
    """`@Revans words` in the channel (the bot's mention first, as Teams sends it)."""
    return activity(
        sender, f"<at>Revans</at> {words}", service_url=service_url, entities=[mention()], **kwargs
    )


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    http: aiohttp.ClientSession

    async def post(self, body: Json, *, token: str | None = None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.http.post(self.url + "/api/messages", json=body, headers=headers) as r:
            return r.status

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


@asynccontextmanager
async def revans_serve(tmp_path: Path, **env: str) -> AsyncIterator[Server]:
    port = free_port()
    log_path = tmp_path / f"serve-{port}.log"
    environment = revans_env(LOG_LEVEL="DEBUG", **env)
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "adapters.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=environment,
            cwd=tmp_path,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        server = Server(url, process, log_path, http)
        try:
            await wait_healthy(server)
            yield server
        finally:
            process.terminate()
            await asyncio.to_thread(process.wait, 30)


async def wait_healthy(server: Server, timeout: float = 30.0) -> None:
    async def healthy() -> bool:
        if server.process.poll() is not None:
            raise AssertionError(f"revans serve exited early:\n{server.logs()}")
        try:
            async with server.http.get(server.url + "/healthz") as r:
                return r.status == 200
        except aiohttp.ClientConnectionError:
            return False

    await eventually(
        healthy, timeout=timeout, what="revans serve to be healthy", explain=server.logs
    )

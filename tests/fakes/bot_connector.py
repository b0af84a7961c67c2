"""A local fake Bot Connector (and Entra token endpoint) for the Teams tests.

Routes what the bot calls – create a conversation, send, reply, update – and
records every request. It also stands in for OneDrive's pre-authorised upload URLs of
the file consent flow (`upload_url`, PUT with a whole-file `Content-Range`), keeping
what was uploaded in `uploaded`. Scriptable: `fail(...)` makes the next matching requests
answer 403 or 429 (with `Retry-After`), or with `HANG_UP` drop the connection without an
answer once the request has been read. `wait_for(...)` polls the records up to a
deadline (never a bare sleep).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.adaptive_cards import activity_card_errors
from tests.fakes.local_server import serve_locally
from tests.polling import eventually

Json = dict[str, Any]

MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A CommonMark backslash escape: the punctuation after it is shown as typed."""


def shown(markdown: str) -> str:
    return MARKDOWN_ESCAPE.sub(r"\1", markdown)


@dataclass
class Record:
    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: Json
    authorization: str | None
    answered_id: str | None = None
    """The id the fake gave a sent activity (what the bot later updates or replies under)."""

    @property
    def text(self) -> str:
        """The message's visible text, whether plain or an Adaptive Card (as a reader
        sees it: escapes undone; message text is HTML, a card's text is not)."""
        if "text" in self.body:
            return html.unescape(shown(str(self.body["text"])))
        parts: list[str] = []
        for attachment in self.body.get("attachments") or ():
            for block in attachment.get("content", {}).get("body", ()):
                if "text" in block:
                    parts.append(shown(block["text"]))
                for fact in block.get("facts", ()):
                    parts.append(f"{shown(fact['title'])}: {shown(fact['value'])}")
        return "\n".join(parts)


HANG_UP = 0
"""A scripted "status": the connection is closed after the request was read, no answer."""


@dataclass
class Failure:
    status: int
    matches: Callable[[Record], bool]
    times: int
    retry_after: str | None = None
    body: str | None = None
    """Raw text to answer with (as application/json) instead of the scripted error."""


@dataclass
class FakeConnector:
    records: list[Record] = field(default_factory=list)
    tokens_issued: list[Json] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    conversations: dict[str, str] = field(default_factory=dict)
    """Created 1:1 conversation id -> member id."""
    card_errors: list[str] = field(default_factory=list)
    """Why each refused card is not Adaptive Cards 1.5 (`tests.fakes.adaptive_cards`)."""
    uploaded: dict[str, bytes] = field(default_factory=dict)
    """Bytes PUT to each upload URL (`upload_url(name)`), by name."""
    url: str = ""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None

    # --- scripting --------------------------------------------------------------------

    def fail(
        self,
        status: int,
        matches: Callable[[Record], bool],
        *,
        times: int = 1,
        retry_after: str | None = None,
        body: str | None = None,
    ) -> None:
        self.failures.append(Failure(status, matches, times, retry_after, body))

    def personal_chat_of(self, member_id: str) -> str | None:
        for conversation_id, member in self.conversations.items():
            if member == member_id:
                return conversation_id
        return None

    def sent_to(self, conversation_id: str) -> list[Record]:
        return [
            r
            for r in self.records
            if r.conversation_id == conversation_id and r.method in ("POST", "PUT")
        ]

    def upload_url(self, name: str) -> str:
        """A pre-authorised upload URL, as Teams gives in a file consent answer."""
        return f"{self.url}files/{name}"

    def consent_cards(self, conversation_id: str) -> list[Json]:
        """The file consent card attachments sent to a conversation, in order."""
        return [
            a
            for r in self.sent_to(conversation_id)
            for a in r.body.get("attachments") or ()
            if a.get("contentType") == "application/vnd.microsoft.teams.card.file.consent"
        ]

    async def wait_for(
        self, predicate: Callable[[list[Record]], bool], *, timeout: float = 15.0
    ) -> list[Record]:
        """Poll the records until `predicate(records)` holds, up to a deadline."""
        await eventually(
            lambda: predicate(self.records),
            timeout=timeout,
            what="the fake connector's records",
            explain=lambda: f"records: {[(r.method, r.path) for r in self.records]}",
        )
        return self.records

    # --- server -----------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self.create_conversation)
        app.router.add_post("/v3/conversations/{cid}/activities", self.send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self.update)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self.token)
        app.router.add_put("/files/{name}", self.upload)
        self._runner, self.url = await serve_locally(app)
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, request: web.Request) -> tuple[Record, web.Response | None]:
        body = await request.json()
        record = Record(
            request.method,
            request.path,
            request.match_info.get("cid"),
            request.match_info.get("aid"),
            body,
            request.headers.get("Authorization"),
        )
        self.records.append(record)
        for failure in self.failures:
            if failure.times > 0 and failure.matches(record):
                failure.times -= 1
                if failure.status == HANG_UP and request.transport is not None:
                    request.transport.close()
                headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
                if failure.body is not None:
                    return record, web.Response(
                        text=failure.body, status=failure.status, content_type="application/json"
                    )
                return record, web.json_response(
                    {"error": {"code": "Scripted"}}, status=failure.status, headers=headers
                )
        return record, None

    async def create_conversation(self, request: web.Request) -> web.Response:
        record, failed = await self._record(request)
        if failed is not None:
            return failed
        member = record.body["members"][0]["id"]
        conversation_id = f"a:personal-{next(self._ids)}"
        self.conversations[conversation_id] = member
        return web.json_response({"id": conversation_id}, status=201)

    def _refused_card(self, record: Record) -> web.Response | None:
        """A card that is not valid Adaptive Cards 1.5 is refused, as a 400."""
        errors = activity_card_errors(record.body)
        if not errors:
            return None
        self.card_errors += errors
        problem = {"error": {"code": "BadArgument", "message": "; ".join(errors)}}
        return web.json_response(problem, status=400)

    async def send(self, request: web.Request) -> web.Response:
        record, failed = await self._record(request)
        if failed is not None:
            return failed
        refused = self._refused_card(record)
        if refused is not None:
            return refused
        record.answered_id = _message_id(record.conversation_id or "", next(self._ids))
        return web.json_response({"id": record.answered_id}, status=201)

    async def update(self, request: web.Request) -> web.Response:
        record, failed = await self._record(request)
        if failed is not None:
            return failed
        refused = self._refused_card(record)
        if refused is not None:
            return refused
        return web.json_response({"id": record.activity_id})

    async def upload(self, request: web.Request) -> web.Response:
        """OneDrive's upload session: the whole file in one range, no bearer token."""
        content = await request.read()
        size = len(content)
        if request.headers.get("Content-Range") != f"bytes 0-{size - 1}/{size}":
            return web.json_response({"error": {"code": "invalidRange"}}, status=416)
        if request.headers.get("Authorization"):
            return web.json_response({"error": {"code": "unexpectedToken"}}, status=400)
        self.uploaded[request.match_info["name"]] = content
        return web.json_response({"id": request.match_info["name"], "size": size}, status=201)

    async def token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.tokens_issued.append({"tenant": request.match_info["tenant"], **form})
        return web.json_response(
            {"access_token": "fake-outbound-token", "expires_in": 3600, "token_type": "Bearer"}
        )


def _message_id(conversation_id: str, n: int) -> str:
    """Teams numbers channel and group chat messages in milliseconds (the id a reply
    chain's `;messageid=` names); other activities here get an `act-` id."""
    if conversation_id.startswith("19:"):
        return str(1_700_000_100_000 + n)
    return f"act-{n}"

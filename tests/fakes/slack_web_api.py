"""A local fake of the Slack Web API (and of `response_url`s) for tests, on 127.0.0.1.

It checks the bearer token and each method's required arguments, records every
call with its arguments, and answers with Slack's real shapes: `ok: true` bodies,
`not_in_channel`, `channel_not_found`, `invalid_auth`, and `ratelimited` as HTTP
429 with `Retry-After`. Tests script it per method ("the next call to
chat.postEphemeral is rate limited once") and poll its records to a deadline.
`apps.connections.open`, called with the app-level token, hands out `socket_url`
(the fake Socket Mode server of `tests.fakes.slack_socket_mode`).
`oauth.v2.access` trades a code (`code_for(team)`) for that workspace's own bot token,
checking the app's client id and secret; every call records the token it used.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import itertools
import json
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.local_server import serve_locally
from tests.fakes.slack_socket_mode import APP_TOKEN
from tests.polling import eventually

TEAM = "T0TEST"
BOT_USER = "UBOT"
BOT_ID = "BBOT"

REQUIRED: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel", "user"),
    "chat.update": ("channel", "ts"),
    "conversations.open": ("users",),
    "views.open": ("trigger_id", "view"),
    "views.publish": ("user_id", "view"),
    "users.info": ("user",),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
    "conversations.history": ("channel",),
    "apps.connections.open": (),
    "oauth.v2.access": ("code",),
}
APP_LEVEL = ("apps.connections.open",)
"""Methods called with the app-level token (xapp-…), not the bot token."""
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret-abcdef"
_BEARER: contextvars.ContextVar[str | None] = contextvars.ContextVar("bearer", default=None)
"""The token of the request being answered (each request is answered in its own task)."""


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    status: int
    error: str | None = None
    answer: dict[str, Any] = field(default_factory=dict)
    """What the fake answered besides `ok` (e.g. the `ts` of a posted message)."""
    token: str | None = field(default_factory=_BEARER.get)
    """The bearer token the call was made with (None for oauth.v2.access)."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class SharedFile:
    """A file completed through Slack's external upload flow: the bytes uploaded to the
    URL `files.getUploadURLExternal` issued, shared where `files.completeUploadExternal`
    said."""

    file_id: str
    filename: str
    title: str
    channel_id: str
    content: bytes


@dataclass
class Scripted:
    error: str
    status: int = 200
    retry_after: int | None = None


@dataclass
class FakeSlack:
    token: str = "xoxb-fake-token"
    app_token: str = APP_TOKEN
    socket_url: str = ""
    """What apps.connections.open answers: the fake Socket Mode server's ws:// URL."""
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    """Bodies posted to response_urls, in order."""
    uploads: list[bytes] = field(default_factory=list)
    shared: list[SharedFile] = field(default_factory=list)
    """Files whose external upload was completed, in order (see `SharedFile`)."""
    _issued: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Upload URLs issued: (filename, declared length) by file id."""
    _uploaded: dict[str, bytes] = field(default_factory=dict)
    unreachable_channels: set[str] = field(default_factory=set)
    """Channels the bot is not in: posting there answers `not_in_channel`."""
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    """Methods whose answers wait until the test sets the event (see `hold`)."""
    waiting: list[str] = field(default_factory=list)
    zones: dict[str, str] = field(default_factory=dict)
    """Profile time zones by Slack user id, as users.info reports them (none if absent)."""
    _script: dict[str, deque[Scripted]] = field(default_factory=lambda: defaultdict(deque))
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    channel_windows: tuple[tuple[float, int], ...] = ()
    _channel_calls: dict[str, list[float]] = field(default_factory=dict)
    url: str = ""
    installed: dict[str, str] = field(default_factory=dict)
    """Bot tokens issued by oauth.v2.access, and the workspace (team id) of each."""
    _codes: dict[str, str] = field(default_factory=dict)

    # --- installing -----------------------------------------------------------------

    def code_for(self, team: str) -> str:
        """A one-time code, as Slack's consent page hands the installer's browser back."""
        code = f"code-{team}-{len(self._codes) + 1}"
        self._codes[code] = team
        return code

    def token_of(self, team: str) -> str:
        """The bot token last issued for `team`."""
        return [token for token, t in self.installed.items() if t == team][-1]

    def used_by(self, token: str) -> list[Call]:
        return [c for c in self.calls if c.token == token]

    def team_of(self, token: str | None) -> str:
        return self.installed.get(token or "", TEAM)

    # --- scripting ------------------------------------------------------------------

    def fail_next(self, method: str, error: str, *, times: int = 1) -> None:
        for _ in range(times):
            self._script[method].append(Scripted(error))

    def rate_limit_next(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        for _ in range(times):
            self._script[method].append(Scripted("ratelimited", 429, retry_after))

    def limit_channels(self, windows: tuple[tuple[float, int], ...]) -> None:
        """From now on, chat.* calls beyond `windows` (seconds, most calls) in one channel
        are answered 429 with `Retry-After`, as Slack limits posting per channel."""
        self.channel_windows = windows

    def _over_channel_limit(self, method: str, channel: str) -> int | None:
        """Seconds to wait if this call breaks the channel's limit; else record it."""
        if not self.channel_windows or not method.startswith("chat.") or not channel:
            return None
        now = time.monotonic()
        sent = self._channel_calls.setdefault(channel, [])
        for seconds, most in self.channel_windows:
            if len([t for t in sent if t > now - seconds]) >= most:
                return max(1, math.ceil(seconds))
        sent.append(now)
        return None

    def hold(self, method: str) -> asyncio.Event:
        """Answers to `method` wait until the returned event is set (a slow Slack)."""
        self.held[method] = asyncio.Event()
        return self.held[method]

    # --- reading the record ---------------------------------------------------------

    def ok_calls(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.ok]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(
        self, predicate: Callable[[], Any], *, timeout: float = 15.0, what: str = "a call"
    ) -> Any:
        """Poll the record until `predicate()` is truthy, up to a deadline; its answer."""
        return await eventually(
            predicate, timeout=timeout, what=what, explain=lambda: f"fake Slack got {self.calls}"
        )

    # --- the web app ----------------------------------------------------------------

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # the SDK reads users.info with GET
        app.router.add_post("/response/{hook}", self._response_url)
        app.router.add_post("/upload/{file}", self._upload)
        return app

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        header = request.headers.get("Authorization") or ""
        bearer = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
        _BEARER.set(bearer)
        if method == "oauth.v2.access":
            return self._oauth_access(header, args)
        tokens = {self.app_token} if method in APP_LEVEL else {self.token, *self.installed}
        if bearer not in tokens:
            return self._answer(method, args, "invalid_auth")
        if method not in REQUIRED:
            return self._answer(method, args, "unknown_method", status=404)
        missing = [name for name in REQUIRED[method] if not args.get(name)]
        if missing:
            return self._answer(method, args, f"missing_argument:{missing[0]}")
        if method in self.held:
            self.waiting.append(method)
            await self.held[method].wait()
        if self._script[method]:
            scripted = self._script[method].popleft()
            return self._answer(method, args, scripted.error, scripted.status, scripted.retry_after)
        wait = self._over_channel_limit(method, str(args.get("channel") or ""))
        if wait is not None:
            return self._answer(method, args, "ratelimited", 429, wait)
        return self._method(method, args)

    def _oauth_access(self, header: str, args: dict[str, Any]) -> web.Response:
        """The app's id and secret (HTTP Basic) and a one-time code give a bot token."""
        basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if header != f"Basic {basic}":
            return self._answer("oauth.v2.access", args, "invalid_client_id")
        team = self._codes.pop(str(args.get("code") or ""), None)
        if team is None:
            return self._answer("oauth.v2.access", args, "invalid_code")
        token = f"xoxb-{team}-{len(self.installed) + 1}-fake"
        self.installed[token] = team
        answer = {
            "access_token": token,
            "token_type": "bot",
            "scope": "chat:write,commands",
            "bot_user_id": BOT_USER,
            "app_id": "A0REVANS",
            "team": {"id": team, "name": f"Team {team}"},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": "UINSTALLER"},
        }
        self.calls.append(Call("oauth.v2.access", args, 200, answer={"team": answer["team"]}))
        return web.json_response({"ok": True, **answer})

    def _method(self, method: str, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel") or "")
        if method.startswith("chat.") and channel in self.unreachable_channels:
            return self._answer(method, args, "not_in_channel")
        if method.startswith("chat.") and not channel.startswith(("C", "G", "D", "U")):
            return self._answer(method, args, "channel_not_found")
        if method.startswith("chat.") and not (args.get("text") or args.get("blocks")):
            return self._answer(method, args, "no_text")
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        if method == "views.publish" and not _a_home_view(args.get("view")):
            return self._answer(method, args, "invalid_arguments")
        ts = f"1700000000.{next(self._ts):06d}"
        user = args.get("user_id")
        bodies: dict[str, dict[str, Any]] = {
            "auth.test": {
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "revans",
                "team_id": self.team_of(_BEARER.get()),
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            },
            "chat.postMessage": {"channel": channel, "ts": ts, "message": {"ts": ts}},
            "chat.postEphemeral": {"message_ts": ts},
            "chat.update": {"channel": channel, "ts": args.get("ts")},
            "conversations.open": {"channel": {"id": "D" + str(args.get("users"))[1:]}},
            "views.open": {"view": self._opened_view(args)},
            "views.publish": {"view": {**(args.get("view") or {}), "id": f"VH{user}"}},
            "users.info": {"user": self._user(str(args.get("user")))},
            "files.getUploadURLExternal": {},
            "conversations.history": {"messages": self._history(channel, args), "has_more": False},
            "apps.connections.open": {"url": self.socket_url},
        }
        if method == "files.getUploadURLExternal":
            bodies[method] = self._issue_upload(ts, args)
        self.calls.append(Call(method, args, 200, answer=bodies[method]))
        return web.json_response({"ok": True, **bodies[method]})

    def _history(self, channel: str, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Messages posted to `channel`, newest first, with their metadata if asked."""
        with_metadata = str(args.get("include_all_metadata")).lower() in ("1", "true")
        found = []
        for call in reversed(self.ok_calls("chat.postMessage")):
            if call.args.get("channel") != channel:
                continue
            message: dict[str, Any] = {"type": "message", "text": call.args.get("text", "")}
            metadata = call.args.get("metadata")
            if with_metadata and metadata:
                message["metadata"] = (
                    json.loads(metadata) if isinstance(metadata, str) else metadata
                )
            found.append(message)
        return found

    def _opened_view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view") if isinstance(args.get("view"), dict) else {}
        opened = len(self.calls_to("views.open")) + 1
        return {**view, "id": f"V{opened:08d}", "hash": f"{opened}.hash", "state": {"values": {}}}

    def _user(self, user: str) -> dict[str, Any]:
        """A users.info user: Slack omits `tz` for some accounts, so it does for unknown ones."""
        team = self.team_of(_BEARER.get())
        found: dict[str, Any] = {"id": user, "team_id": team, "name": user.lower(), "is_bot": False}
        if user in self.zones:
            found.update(tz=self.zones[user], tz_label=self.zones[user], tz_offset=0)
        return found

    def views_opened(self) -> list[dict[str, Any]]:
        """The views opened so far, with the trigger each was opened with."""
        return [
            {**c.args["view"], "trigger_id": c.args["trigger_id"]}
            for c in self.ok_calls("views.open")
        ]

    def homes(self, user: str) -> list[dict[str, Any]]:
        """The App Home views published for Slack user `user`, oldest first."""
        return [c.args["view"] for c in self.ok_calls("views.publish") if c.args["user_id"] == user]

    def _answer(
        self,
        method: str,
        args: dict[str, Any],
        error: str,
        status: int = 200,
        retry_after: int | None = None,
    ) -> web.Response:
        self.calls.append(Call(method, args, status, error))
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return web.json_response({"ok": False, "error": error}, status=status, headers=headers)

    async def _response_url(self, request: web.Request) -> web.Response:
        self.responses.append({"hook": request.match_info["hook"], **(await request.json())})
        return web.Response(text="ok")

    def _issue_upload(self, ts: str, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{ts[-6:]}"
        self._issued[file_id] = (str(args["filename"]), int(args["length"]))
        return {"upload_url": f"{self.url}upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: takes the bytes of an issued file id, of its declared length."""
        file_id, content = request.match_info["file"], await request.read()
        issued = self._issued.get(file_id)
        if issued is None or issued[1] != len(content):
            return web.Response(status=400, text="unknown upload or wrong length")
        self.uploads.append(content)
        self._uploaded[file_id] = content
        return web.Response(text=f"OK - {len(content)}")

    def _complete_upload(self, args: dict[str, Any]) -> web.Response:
        """Share uploaded files in `channel_id`; a file never uploaded is `file_not_found`."""
        files = args["files"] if isinstance(args["files"], list) else []
        if not files or any(f.get("id") not in self._uploaded for f in files):
            return self._answer("files.completeUploadExternal", args, "file_not_found")
        channel = str(args.get("channel_id") or "")
        for f in files:
            name, _ = self._issued[f["id"]]
            title = str(f.get("title") or name)
            self.shared.append(SharedFile(f["id"], name, title, channel, self._uploaded[f["id"]]))
        answer = {"files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        self.calls.append(Call("files.completeUploadExternal", args, 200, answer=answer))
        return web.json_response({"ok": True, **answer})


HOME_BLOCKS = 100
"""Slack's limit on the blocks of a home view."""


def _a_home_view(view: object) -> bool:
    """What Slack checks of a published view: a home view of at most 100 blocks, each
    button with an action id, unique within its block."""
    if not isinstance(view, dict) or view.get("type") != "home":
        return False
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or len(blocks) > HOME_BLOCKS:
        return False
    for block in blocks:
        ids = [e.get("action_id") for e in block.get("elements", []) if e.get("type") == "button"]
        if not all(ids) or len(set(ids)) != len(ids):
            return False
    return True


async def _arguments(request: web.Request) -> dict[str, Any]:
    """Arguments as Slack reads them: JSON body, form body, or query string."""
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        args.update(await request.json())
    elif request.can_read_body:
        form = await request.post()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for name in ("blocks", "view", "files", "metadata"):
        if isinstance(args.get(name), str):
            with contextlib.suppress(ValueError):
                args[name] = json.loads(args[name])
    return args


class RunningFake:
    """The fake served on a free 127.0.0.1 port for one test."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeSlack:
        self.runner, self.fake.url = await serve_locally(self.fake.web_app())
        return self.fake

    async def __aexit__(self, *exc: object) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

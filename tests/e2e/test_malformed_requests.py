"""No request makes the real server answer 500 or log a traceback.

A table of malformed, unsigned and signed-but-odd requests goes to `revans serve`
(Slack against the local fake Web API, Teams in emulator mode, and Teams with an app
id against a local OpenID issuer). Each must get the status the platform expects —
401 for anything not signed by Slack or not authenticated for Teams, 400 for a signed
body we cannot use, 413 for a body too large to read, 415 for Teams content that is
not JSON, 200 for a signed delivery we simply do not act on — and the server's log
must show no traceback and no content. After the table the server still answers a
well-formed command, so nothing malformed broke it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from tests.confidential import PLANTED, assert_not_leaked
from tests.e2e.slack_client import SECRET, RevansServer
from tests.e2e.teams_server import TENANT, Person, activity, command, revans_serve
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.openid_issuer import ISSUER, OpenIdIssuer
from tests.fakes.slack_web_api import TEAM, FakeSlack, RunningFake

FORM = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"
APP_ID = "00000000-0000-0000-0000-0000000bad1d"
FARAH = Person("Farah")
HUGE = 2 * 1024 * 1024
"""Larger than the server reads (aiohttp's 1 MiB `client_max_size`)."""


@dataclass(frozen=True)
class Probe:
    name: str
    body: bytes
    headers: dict[str, str]
    expected: int
    path: str = "/slack/events"


# -- Slack -----------------------------------------------------------------------------


def slack_headers(
    body: bytes,
    content_type: str = FORM,
    *,
    timestamp: str | None = None,
    signed_timestamp: str | None = None,
    secret: str = SECRET,
) -> dict[str, str]:
    """Headers signed as Slack signs: HMAC-SHA256 over `v0:{ts}:` and the raw body bytes."""
    ts = str(int(time.time())) if timestamp is None else timestamp
    base = f"v0:{signed_timestamp or ts}:".encode() + body
    mac = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={mac}",
    }


def slack(
    name: str, body: bytes | str, expected: int, content_type: str = FORM, **kw: Any
) -> Probe:
    raw = body.encode() if isinstance(body, str) else body
    return Probe(name, raw, slack_headers(raw, content_type, **kw), expected)


def unsigned(name: str, body: bytes | str, content_type: str = FORM, **extra: str) -> Probe:
    raw = body.encode() if isinstance(body, str) else body
    return Probe(name, raw, {"Content-Type": content_type, **extra}, 401)


def slash(**fields: str) -> str:
    base = {
        "team_id": TEAM,
        "channel_id": "C0SET",
        "user_id": "U0FARAH",
        "command": "/set",
        "text": "help",
        "response_url": "http://127.0.0.1:9/response/1",
        "trigger_id": f"1.{time.monotonic_ns()}.abc",  # a fresh delivery each time
        "api_app_id": "A0REVANS",
    }
    return urlencode({**base, **fields})


def event_body(event: Any, **extra: Any) -> str:
    body = {
        "team_id": TEAM,
        "api_app_id": "A0REVANS",
        "type": "event_callback",
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
        "event": event,
        **extra,
    }
    return json.dumps(body)


def message_event(**changes: Any) -> dict[str, Any]:
    event = {
        "type": "message",
        "user": "U0FARAH",
        "text": f"a question {PLANTED}",
        "ts": f"1700000000.{time.monotonic_ns()}",  # a fresh message each time
        "channel": "C0SET",
        "channel_type": "channel",
    }
    return {**event, **changes}


def view_payload(view: Any, **changes: Any) -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U0FARAH", "team_id": TEAM},
        "trigger_id": f"9.{time.monotonic_ns()}.view",
        "view": view,
        **changes,
    }
    return urlencode({"payload": json.dumps(payload)})


def our_view(**changes: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "id": "V0",
        "callback_id": "revans_form",
        "private_metadata": json.dumps({"action": "challenge", "place": "slack:T0TEST:C0SET"}),
        "state": {"values": {"text": {"text": {"type": "plain_text_input", "value": PLANTED}}}},
    }
    return {**view, **changes}


STALE = str(int(time.time()) - 3600)
SLACK_PROBES = [
    # before any signature is checked
    unsigned("unsigned, not UTF-8", b"text=\xff" + PLANTED.encode()),
    unsigned("unsigned, unknown charset", slash(), f"{FORM}; charset=no-such-codec"),
    unsigned("unsigned JSON list", "[1, 2]", JSON_TYPE),
    unsigned("no signature header", slash(), X_Slack_Request_Timestamp=str(int(time.time()))),
    slack("timestamp abc", slash(), 401, timestamp="abc"),
    slack("timestamp empty", slash(), 401, timestamp=""),
    slack("timestamp 1e3", slash(), 401, timestamp="1e3"),
    slack("timestamp with a sign", slash(), 401, timestamp="+" + str(int(time.time()))),
    slack("timestamp in other digits", slash(), 401, timestamp="١٧٠٠٠٠٠٠٠٠"),
    slack("timestamp of 5000 digits", slash(), 401, timestamp="9" * 5000),
    slack("timestamp an hour old", slash(), 401, timestamp=STALE),
    slack("signed with another secret", slash(), 401, secret="not-the-secret-0123456789"),
    slack("signature over another timestamp", slash(), 401, signed_timestamp="1"),
    Probe(
        "signature not hex",
        slash().encode(),
        {**slack_headers(slash().encode()), "X-Slack-Signature": "v0=" + "é" * 64},
        401,
    ),
    # signed, but not a body we can use
    slack("signed, not UTF-8", b"text=\xff&command=%2Fset", 400),
    slack("signed, not UTF-8 JSON", b'{"type": "\xff"}', 400, JSON_TYPE),
    slack("signed JSON null", "null", 400, JSON_TYPE),
    slack("signed JSON number", "12", 400, JSON_TYPE),
    slack("signed payload not JSON", "payload=%7B" + PLANTED, 400),
    slack("signed payload a list", urlencode({"payload": "[1]"}), 400),
    slack("signed event a string", event_body(PLANTED), 400, JSON_TYPE),
    slack("signed event a list", event_body([PLANTED]), 400, JSON_TYPE),
    slack("signed event_callback without event", event_body(None), 400, JSON_TYPE),
    slack("signed view state.values a list", view_payload(our_view(state={"values": []})), 400),
    slack("signed view state a string", view_payload(our_view(state="x")), 400),
    slack(
        "signed view without type",
        view_payload({k: v for k, v in our_view().items() if k != "type"}),
        400,
    ),
    slack("signed view a string", view_payload(PLANTED), 400),
    slack("signed view_submission user a string", view_payload(our_view(), user="U0FARAH"), 400),
    # signed and readable: acknowledged (200), acted on or not
    slack("signed command, unknown charset", slash(), 200, f"{FORM}; charset=no-such-codec"),
    slack("signed command, empty user_id", slash(user_id=""), 200),
    slack("signed command, empty channel_id", slash(channel_id=""), 200),
    slack("signed command, empty team_id", slash(team_id=""), 200),
    slack("signed command, no ids at all", "command=%2Fset&text=" + PLANTED, 200),
    slack("signed command, text missing", slash(text=""), 200),
    slack(
        "signed reaction_added",
        event_body({"type": "reaction_added", "user": "U1"}),
        200,
        JSON_TYPE,
    ),
    slack("signed event without type", event_body({"user": "U1"}), 400, JSON_TYPE),
    slack("signed message, text a list", event_body(message_event(text=[PLANTED])), 200, JSON_TYPE),
    slack("signed message, user a dict", event_body(message_event(user={"id": 1})), 200, JSON_TYPE),
    slack("signed message, ts a number", event_body(message_event(ts=1.5)), 200, JSON_TYPE),
    slack(
        "signed message, channel missing", event_body(message_event(channel=None)), 200, JSON_TYPE
    ),
    slack(
        "signed block_actions", urlencode({"payload": json.dumps({"type": "block_actions"})}), 200
    ),
    slack(
        "signed view of someone else's app",
        view_payload(our_view(callback_id="x", private_metadata="{")),
        200,
    ),
    slack("signed JSON as text/plain", event_body(message_event()), 200, "text/plain"),
    slack("signed huge body", b"text=" + b"a" * HUGE, 413),
    Probe("unsigned huge body", b"text=" + b"a" * HUGE, {"Content-Type": FORM}, 413),
]


# -- Teams -----------------------------------------------------------------------------

SERVICE_URL = "http://127.0.0.1:9/"


def teams(
    name: str, body: bytes | str | Any, expected: int, content_type: str = JSON_TYPE, **headers: str
) -> Probe:
    if isinstance(body, bytes):
        raw = body
    elif isinstance(body, str):
        raw = body.encode()
    else:
        raw = json.dumps(body).encode()
    return Probe(name, raw, {"Content-Type": content_type, **headers}, expected, "/api/messages")


def an_activity(**changes: Any) -> dict[str, Any]:
    body = command(FARAH, "help", service_url=SERVICE_URL)
    return {**body, **changes}


def without(*keys: str) -> dict[str, Any]:
    return {k: v for k, v in an_activity().items() if k not in keys}


TEAMS_BAD_BODIES = [
    teams("not JSON", "{" + PLANTED, 400),
    teams("JSON list", "[1, 2]", 400),
    teams("JSON string", json.dumps(PLANTED), 400),
    teams("not UTF-8", b'{"type": "message", "text": "\xff"}', 400),
    teams("missing type", without("type"), 400),
    teams("type a number", an_activity(type=5), 400),
    teams("wrong content type", an_activity(), 415, "text/plain"),
    teams("huge body", b'{"text": "' + b"a" * HUGE + b'"}', 413),
]
TEAMS_EMULATOR_PROBES = [
    *TEAMS_BAD_BODIES,
    teams("unknown charset", an_activity(), 200, f"{JSON_TYPE}; charset=no-such-codec"),
    teams("missing conversation", without("conversation"), 200),
    teams("missing from", without("from"), 200),
    teams("missing serviceUrl", without("serviceUrl"), 200),
    teams("missing id", without("id"), 200),
    teams("conversation a string", an_activity(conversation=PLANTED), 400),
    teams("from a list", an_activity(**{"from": [PLANTED]}), 400),
    teams(
        "conversation without id", an_activity(conversation={"conversationType": "channel"}), 200
    ),
    teams("text a number", an_activity(text=12), 400),
    teams("text a list", an_activity(text=[PLANTED]), 400),
    teams("entities a string", an_activity(entities=PLANTED), 400),
    teams("entities of strings", an_activity(entities=[PLANTED]), 400),
    teams("mention entity without mentioned", an_activity(entities=[{"type": "mention"}]), 200),
    teams("channelData a string", an_activity(channelData=PLANTED), 400),
    teams("channelData.tenant a string", an_activity(channelData={"tenant": PLANTED}), 400),
    teams("localTimezone not a zone", an_activity(localTimezone="../../etc/passwd"), 200),
    teams("unknown activity type", an_activity(type="somethingNew"), 200),
    teams("invoke without name", an_activity(type="invoke", value={}), 400),
    teams(
        "invoke adaptiveCard/action, value a string",
        an_activity(type="invoke", name="adaptiveCard/action", value=PLANTED),
        400,
    ),
    teams(
        "invoke adaptiveCard/action, empty value",
        an_activity(type="invoke", name="adaptiveCard/action", value={}),
        200,
    ),
    teams("invoke of an unknown name", an_activity(type="invoke", name="x/y", value={}), 200),
    teams("invoke of a known name", an_activity(type="invoke", name="composeExtension/query"), 200),
    teams("message with value a list", an_activity(value=[PLANTED], text=None), 200),
    teams(
        "conversationUpdate, membersAdded a string",
        an_activity(type="conversationUpdate", membersAdded=PLANTED),
        400,
    ),
    teams(
        "conversationUpdate, membersAdded of nulls",
        an_activity(type="conversationUpdate", membersAdded=[None]),
        400,
    ),
    teams("messageUpdate without text", an_activity(type="messageUpdate", text=None), 200),
    teams("messageDelete without id", without("id") | {"type": "messageDelete"}, 200),
    teams("installationUpdate, no action", an_activity(type="installationUpdate"), 200),
    teams("at tag unclosed", an_activity(text="<at>Revans " * 2000), 200),
]
TEAMS_AUTH_PROBES = [
    *TEAMS_BAD_BODIES,
    teams("unknown charset, no token", an_activity(), 401, f"{JSON_TYPE}; charset=no-such-codec"),
    teams("no token", an_activity(), 401),
    teams("not a bearer token", an_activity(), 401, Authorization="Basic " + PLANTED),
    teams("a bearer of garbage", an_activity(), 401, Authorization="Bearer " + PLANTED),
    teams("a bearer of three dots", an_activity(), 401, Authorization="Bearer a.b.c"),
    teams("an empty bearer", an_activity(), 401, Authorization="Bearer "),
    teams("missing from, no token", without("from"), 401),
    teams("missing conversation, no token", without("conversation"), 401),
    teams("missing serviceUrl, no token", without("serviceUrl"), 401),
]


# -- running the table -----------------------------------------------------------------


@dataclass
class Results:
    wrong: list[str] = field(default_factory=list)

    def check(self, probe: Probe, status: int) -> None:
        if status != probe.expected:
            self.wrong.append(f"{probe.name}: {status}, expected {probe.expected}")


async def send_all(base_url: str, probes: list[Probe]) -> list[str]:
    results = Results()
    async with aiohttp.ClientSession() as session:
        for probe in probes:
            # skip_auto_headers: the table sets Content-Type itself, even a wrong one
            async with session.post(
                base_url + probe.path,
                data=io.BytesIO(probe.body),  # raw bytes this large would warn
                headers=probe.headers,
                skip_auto_headers=["Content-Type"],
            ) as response:
                await response.read()
                results.check(probe, response.status)
    return results.wrong


def assert_clean_log(log: str) -> None:
    assert "Traceback" not in log and 'File "' not in log, log[-5000:]
    assert " 500 " not in log and "status=500" not in log, log[-5000:]
    assert_not_leaked(log, "the server's logs")


@pytest.fixture
async def slack_and_emulator(tmp_path: Path) -> AsyncIterator[tuple[FakeSlack, RevansServer]]:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'revans.db'}"
    async with (
        RunningFake(FakeSlack()) as fake_slack,
        RevansServer(tmp_path, db_url, fake_slack) as server,
    ):
        yield fake_slack, server


async def test_malformed_slack_requests(
    slack_and_emulator: tuple[FakeSlack, RevansServer],
) -> None:
    fake_slack, server = slack_and_emulator
    wrong = await send_all(server.url, SLACK_PROBES)
    assert not wrong, "\n".join(wrong)
    # still serving: a well-formed command is answered
    good = slash(text="help", response_url=f"{fake_slack.url}response/99")
    probe = slack("a good command", good, 200)
    assert await send_all(server.url, [probe]) == []
    await fake_slack.wait_for(
        lambda: fake_slack.ok_calls("chat.postEphemeral") or fake_slack.calls_to("response"),
        what="the help answer",
    )
    assert_clean_log(server.output())


async def test_malformed_teams_requests_in_emulator_mode(
    slack_and_emulator: tuple[FakeSlack, RevansServer],
) -> None:
    _, server = slack_and_emulator
    wrong = await send_all(server.url, TEAMS_EMULATOR_PROBES)
    assert not wrong, "\n".join(wrong)
    assert_clean_log(server.output())


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    openid = OpenIdIssuer()
    await openid.start()
    try:
        yield openid
    finally:
        await openid.stop()


async def test_malformed_teams_requests_with_an_app_id(
    tmp_path: Path, fake: FakeConnector, issuer: OpenIdIssuer
) -> None:
    async with revans_serve(
        tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}",
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="app-secret-value",
        MICROSOFT_APP_TENANT_ID=TENANT,
        MICROSOFT_OPENID_METADATA_URL=issuer.metadata_url,
        MICROSOFT_TOKEN_ISSUER=ISSUER,
        MICROSOFT_LOGIN_URL=fake.url.rstrip("/"),
        NO_PROXY="127.0.0.1,localhost",
    ) as server:
        wrong = await send_all(server.url, TEAMS_AUTH_PROBES)
        assert not wrong, "\n".join(wrong)
        token = issuer.token(aud=APP_ID, serviceurl=fake.url)
        status = await server.post(
            activity(FARAH, "help", service_url=fake.url, kind="personal", conversation="a:farah"),
            token=token,
        )
        assert status == 200
    assert_clean_log(server.logs())

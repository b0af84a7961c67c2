"""What a request to `/slack/events` must be before bolt sees it (pure functions).

Bolt reads the body as text, and the timestamp with `int()`, before it checks the
signature, and its context extraction assumes Slack's shapes (`event` an object,
`user` an id or an object, …): a body that is not UTF-8, a timestamp of `abc` or a
signed `event` that is a list each became a 500 with a traceback. So the endpoint
first checks here, in this order:

1. the timestamp (ASCII digits, within five minutes) and the signature, computed
   over the raw bytes as Slack signs them — 401 when either is wrong;
2. the body decodes as UTF-8 (Slack sends nothing else, whatever `charset` says) — 400;
3. after bolt has parsed it, the body has the shapes bolt and our translators read —
   400 naming the first field that does not (a name, never a value).

The signature is computed here rather than with slack_sdk's `SignatureVerifier`,
which decodes the body as UTF-8 first and so raises on the bodies this must refuse.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

MAX_AGE_SECONDS = 5 * 60
"""Slack's rule: a request older (or newer) than this may be a replay."""
MAX_TIMESTAMP_DIGITS = 12

ID_OR_OBJECT = ("team", "user", "channel", "enterprise")
"""Fields Slack sends as an id string or an object with an `id` (bolt reads both)."""
OBJECTS = ("message", "previous_message", "item", "assistant_thread", "function_data")
"""Fields that, when present, are objects (bolt and our translators read into them)."""


def timestamp_of(headers: Mapping[str, str]) -> int | None:
    """`X-Slack-Request-Timestamp` as seconds, or None if it is not plain ASCII digits."""
    raw = headers.get("X-Slack-Request-Timestamp") or ""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_TIMESTAMP_DIGITS):
        return None
    return int(raw)


def signature_problem(
    raw_body: bytes, headers: Mapping[str, str], signing_secret: str, *, now: float
) -> str | None:
    """Why the request is not Slack's (for a log line), or None if its signature holds."""
    timestamp = timestamp_of(headers)
    if timestamp is None:
        return "no usable timestamp"
    if abs(now - timestamp) > MAX_AGE_SECONDS:
        return "a stale timestamp"
    given = headers.get("X-Slack-Signature") or ""
    if not given.isascii():
        return "a bad signature"
    base = f"v0:{timestamp}:".encode() + raw_body
    expected = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return None if hmac.compare_digest(expected, given) else "a bad signature"


def decoded(raw_body: bytes) -> str | None:
    try:
        return raw_body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def shape_problem(body: object) -> str | None:
    """The first field of a parsed body that has a shape Slack never sends, or None."""
    if not isinstance(body, dict):
        return "the body is not an object"
    problem = _fields_problem(body, "")
    if problem:
        return problem
    for name in ("authorizations", "response_urls", "actions"):
        if not _list_of_objects(body.get(name)):
            return f"{name} is not a list of objects"
    for authorization in body.get("authorizations") or ():
        problem = _fields_problem(authorization, "authorizations[].")
        if problem:
            return problem
    if body.get("type") == "view_submission" and not isinstance(body.get("user"), dict):
        return "a view_submission's user is not an object"
    if body.get("type") == "view_submission" and isinstance(body.get("team"), str):
        return "a view_submission's team is not an object"
    if "event" in body or body.get("type") == "event_callback":
        problem = _event_problem(body.get("event"))
        if problem:
            return problem
    if "view" in body or body.get("type") == "view_submission":
        return _view_problem(body.get("view"))
    return None


def _fields_problem(obj: Mapping[str, Any], where: str) -> str | None:
    for name in ID_OR_OBJECT:
        value = obj.get(name)
        if value is not None and not isinstance(value, str | dict):
            return f"{where}{name} is neither an id nor an object"
    for name in OBJECTS:
        value = obj.get(name)
        if value is not None and not isinstance(value, dict):
            return f"{where}{name} is not an object"
    return None


def _event_problem(event: object) -> str | None:
    if not isinstance(event, dict):
        return "event is not an object"
    if not isinstance(event.get("type"), str):
        return "event has no type"
    problem = _fields_problem(event, "event.")
    if problem:
        return problem
    for name in ("message", "previous_message"):
        inner = event.get(name)
        if isinstance(inner, dict):
            problem = _fields_problem(inner, f"event.{name}.")
            if problem:
                return problem
    return None


def _view_problem(view: object) -> str | None:
    if not isinstance(view, dict):
        return "view is not an object"
    if not isinstance(view.get("type"), str):
        return "view has no type"
    state = view.get("state")
    if state is None:
        return None
    if not isinstance(state, dict):
        return "view.state is not an object"
    values = state.get("values")
    if values is None:
        return None
    if not isinstance(values, dict):
        return "view.state.values is not an object"
    for block in values.values():
        if block is None:
            continue
        if not isinstance(block, dict):
            return "a view.state.values block is not an object"
        if not all(element is None or isinstance(element, dict) for element in block.values()):
            return "a view.state.values element is not an object"
    return None


def _list_of_objects(value: object) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, dict) for v in value))

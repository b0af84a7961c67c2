"""What a body posted to `/api/messages` must be before botbuilder sees it (pure functions).

botbuilder's `Activity` model and our translators read fields with Teams' shapes
(`from` an object, `entities` a list of objects, `text` a string, …); a body with
another shape made a turn fail or escaped as a 500. The Bot Connector never sends
such a body, so it is refused with a 400 naming the first odd field (a name, never a
value) before any authentication or turn runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

STRINGS = (
    "id",
    "text",
    "textFormat",
    "locale",
    "localTimezone",
    "serviceUrl",
    "channelId",
    "name",
    "replyToId",
)
ACCOUNTS = ("from", "recipient", "conversation")
ACCOUNT_STRINGS = ("id", "name", "aadObjectId", "conversationType", "tenantId", "role")
MEMBER_LISTS = ("membersAdded", "membersRemoved")


def activity_from(raw_body: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The activity JSON, or None and why not (for a log line)."""
    try:
        body = json.loads(raw_body.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "the body is not UTF-8"
    except ValueError:
        return None, "the body is not JSON"
    problem = activity_problem(body)
    return (None, problem) if problem else (body, None)


def activity_problem(body: object) -> str | None:
    """The first field with a shape the Bot Connector never sends, or None."""
    if not isinstance(body, dict):
        return "the body is not an object"
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "it has no type"
    for name in STRINGS:
        if not _optional(body.get(name), str):
            return f"{name} is not a string"
    for name in ACCOUNTS:
        problem = _object_problem(body.get(name), name, ACCOUNT_STRINGS)
        if problem:
            return problem
    problem = _channel_data_problem(body.get("channelData"))
    if problem:
        return problem
    problem = _entities_problem(body.get("entities"))
    if problem:
        return problem
    for name in MEMBER_LISTS:
        members = body.get(name)
        if not _optional(members, list) or not all(isinstance(m, dict) for m in members or ()):
            return f"{name} is not a list of accounts"
    if kind == "invoke" and not (isinstance(body.get("name"), str) and body["name"]):
        return "an invoke has no name"
    if kind == "invoke" and not _optional(body.get("value"), dict):
        return "an invoke's value is not an object"
    return None


def _optional(value: object, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def _object_problem(value: object, where: str, strings: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return f"{where} is not an object"
    for name in strings:
        if not _optional(value.get(name), str):
            return f"{where}.{name} is not a string"
    return None


def _channel_data_problem(data: object) -> str | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        return "channelData is not an object"
    for name in ("tenant", "team", "channel"):
        problem = _object_problem(data.get(name), f"channelData.{name}", ("id", "name"))
        if problem:
            return problem
    if not _optional(data.get("eventType"), str):
        return "channelData.eventType is not a string"
    return None


def _entities_problem(entities: object) -> str | None:
    if entities is None:
        return None
    if not isinstance(entities, list):
        return "entities is not a list"
    for entity in entities:
        if not isinstance(entity, dict):
            return "an entity is not an object"
        if not (_optional(entity.get("type"), str) and _optional(entity.get("text"), str)):
            return "an entity's type or text is not a string"
        problem = _object_problem(entity.get("mentioned"), "a mention's person", ACCOUNT_STRINGS)
        if problem:
            return problem
    return None

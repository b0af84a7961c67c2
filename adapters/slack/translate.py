"""Slack payloads in, neutral core values out: pure functions, tested with recorded payloads.

Ids: a place is `slack:{team}:{channel}`, a user `slack:{team}:{user}`. Slack mentions
(`<@U123>`, `<@U123|name>`) become the core's neutral token before the core parses text.
Nothing here keeps a payload: the core gets frozen values with ids and text only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.context import Context
from bot.events import Event, MessageDeleted, MessageEdited, MessagePosted
from bot.messages import mention_token
from bot.model import Actor, Place, PlaceKind
from bot.presses import Press

PLATFORM = "slack"
PREFIX = f"{PLATFORM}:"

SLACK_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
"""A user mention as Slack writes it in text, with or without the `|name` part."""


def place_id(team_id: str, channel_id: str) -> str:
    return f"{PREFIX}{team_id}:{channel_id}"


def user_id(team_id: str, slack_user: str) -> str:
    return f"{PREFIX}{team_id}:{slack_user}"


@dataclass(frozen=True)
class SlackRef:
    """The team and the Slack-side id inside one of our opaque ids."""

    team_id: str
    slack_id: str


def parse_id(opaque: str) -> SlackRef:
    """Split `slack:{team}:{id}`; anything else is not ours to send to."""
    platform, _, rest = opaque.partition(":")
    team, _, slack_id = rest.partition(":")
    if platform != PLATFORM or not team or not slack_id:
        raise ValueError("not a Slack id")
    return SlackRef(team, slack_id)


def place_kind(channel_id: str, channel_type: str | None = None) -> PlaceKind:
    """D… (im) is a 1:1 chat; everything else is a channel, private channels and group
    DMs (mpim) included: each has threads, so a round's space there is the thread under
    its message (`PlaceKind.GROUP`, where the whole chat is the space, is a Teams group
    chat's)."""
    if channel_type in ("im",) or channel_id.startswith("D"):
        return PlaceKind.PERSONAL
    return PlaceKind.CHANNEL


def place(team_id: str, channel_id: str, channel_type: str | None = None) -> Place:
    return Place(place_id(team_id, channel_id), place_kind(channel_id, channel_type), PLATFORM)


POSTED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})
"""Message subtypes that are someone posting words (with a file, or also to the channel)."""


def neutralise_mentions(text: str, team_id: str) -> str:
    """`<@U123|ann>` → the neutral token for `slack:{team}:U123`; Slack's escapes undone.

    Slack sends `&`, `<`, `>` typed by people as `&amp;`, `&lt;`, `&gt;`. They are
    unescaped, except a typed `<@`, which stays escaped so typed text can never
    pass for a mention.
    """
    chunks = SLACK_MENTION.split(text)
    # split() with one group alternates: text, user id, text, user id, …, text
    out = [
        mention_token(user_id(team_id, chunk)) if odd else _unescape(chunk)
        for odd, chunk in ((i % 2 == 1, c) for i, c in enumerate(chunks))
    ]
    return "".join(out)


def _unescape(text: str) -> str:
    hold = "\x00"  # never in Slack text: keeps a typed `&lt;@` through the other replacements
    text = text.replace("&lt;@", hold).replace("&lt;", "<").replace("&gt;", ">")
    return text.replace(hold, "&lt;@").replace("&amp;", "&")


def _slash_channel_type(channel_name: str | None) -> str | None:
    """Slash commands carry a channel *name*; these special names tell the kind."""
    return {"directmessage": "im", "privategroup": "group"}.get(channel_name or "") or (
        "mpim" if (channel_name or "").startswith("mpdm-") else None
    )


def _required_id(body: Mapping[str, Any], name: str) -> str:
    """An id the payload must carry; missing or empty is a KeyError (the payload is unusable)."""
    value = str(body.get(name) or "")
    if not value:
        raise KeyError(name)
    return value


def command_context(body: Mapping[str, Any], command_prefix: str) -> Context:
    """The core's Context for a slash command payload (`command_prefix` like "/set ").

    Raises KeyError when the team, user or channel id is missing or empty."""
    team = _required_id(body, "team_id")
    actor = Actor(user_id(team, _required_id(body, "user_id")), str(body.get("user_name") or ""))
    channel = _required_id(body, "channel_id")
    where = place(team, channel, _slash_channel_type(body.get("channel_name")))
    trigger = body.get("trigger_id")
    return Context(where, actor, command_prefix, trigger=str(trigger) if trigger else None)


def command_text(body: Mapping[str, Any]) -> str:
    return neutralise_mentions(str(body.get("text") or ""), str(body["team_id"]))


def team_of(body: Mapping[str, Any], event: Mapping[str, Any]) -> str:
    return str(body.get("team_id") or event.get("team") or "")


def is_from_a_bot(event: Mapping[str, Any]) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message"


def message_event(body: Mapping[str, Any]) -> Event | None:
    """A `message` or `app_mention` event as a neutral core event, or None to ignore it.

    Edits (`message_changed`) and deletions (`message_deleted`) are handled; bots'
    messages (ours included) and every other subtype (joins, topic changes…) are not.
    """
    event: Mapping[str, Any] = body.get("event") or {}
    team = team_of(body, event)
    channel = event.get("channel")
    if not team or not channel:
        return None
    where = place(team, str(channel), event.get("channel_type"))
    subtype = event.get("subtype")
    if subtype == "message_changed":
        return _edited(where, event)
    if subtype == "message_deleted":
        deleted_ts = event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts")
        return MessageDeleted(where, str(deleted_ts)) if deleted_ts else None
    if subtype not in POSTED_SUBTYPES:
        return None
    if is_from_a_bot(event) or not event.get("user") or not event.get("ts"):
        return None
    author = Actor(user_id(team, str(event["user"])), str(event["user"]))
    thread = event.get("thread_ts")
    return MessagePosted(
        place=where,
        author=author,
        message_id=str(event["ts"]),
        text=neutralise_mentions(str(event.get("text") or ""), team),
        thread_id=str(thread) if thread and thread != event["ts"] else None,
    )


def _edited(where: Place, event: Mapping[str, Any]) -> MessageEdited | None:
    message: Mapping[str, Any] = event.get("message") or {}
    if is_from_a_bot(message) or not message.get("ts"):
        return None
    previous: Mapping[str, Any] = event.get("previous_message") or {}
    if "text" in previous and previous.get("text") == message.get("text"):
        return None  # an unfurl or reaction-style change, not a new wording
    text = neutralise_mentions(str(message.get("text") or ""), parse_id(where.id).team_id)
    return MessageEdited(where, str(message["ts"]), text)


def message_key(body: Mapping[str, Any]) -> str | None:
    """(team, channel, ts) of a new message, shared by its `message` and `app_mention` events."""
    event: Mapping[str, Any] = body.get("event") or {}
    if event.get("type") not in ("message", "app_mention"):
        return None
    if event.get("subtype") not in POSTED_SUBTYPES:
        return None
    team, channel, ts = team_of(body, event), event.get("channel"), event.get("ts")
    if not (team and channel and ts):
        return None
    return f"message:{team}:{channel}:{ts}"


# --- forms (modals) ---------------------------------------------------------------------


def form_metadata(place_id: str, kind: PlaceKind | None = None) -> str:
    """A modal's `private_metadata`: the place the form was asked for, so its answer lands there.

    Slack returns it untouched with the `view_submission`; it holds ids only (≤ 3000 chars).
    """
    return json.dumps({"place": place_id, "kind": (kind or place_kind_of(place_id)).value})


def place_kind_of(place_id: str) -> PlaceKind:
    return place_kind(parse_id(place_id).slack_id)


@dataclass(frozen=True)
class FormSubmission:
    """A submitted modal: who, where (from its metadata), which form, and the values typed."""

    ctx: Context
    action: str
    values: dict[str, str]


def form_submission(body: Mapping[str, Any], command_prefix: str) -> FormSubmission | None:
    """A `view_submission` payload as the core's inputs, or None if it is not one of our forms.

    The place comes from the view's metadata and must be in the submitter's own team.
    """
    view: Mapping[str, Any] = body.get("view") or {}
    user: Mapping[str, Any] = body.get("user") or {}
    team = str(user.get("team_id") or (body.get("team") or {}).get("id") or "")
    action = str(view.get("callback_id") or "")
    if not (team and user.get("id") and action):
        return None
    try:
        meta = json.loads(str(view.get("private_metadata") or ""))
        where_id = str(meta["place"])
        ref = parse_id(where_id)
        kind = PlaceKind(meta.get("kind") or place_kind(ref.slack_id))
    except (ValueError, KeyError, TypeError):
        return None
    if ref.team_id != team:
        return None
    name = str(user.get("name") or user.get("username") or "")
    actor = Actor(user_id(team, str(user["id"])), name)
    trigger = body.get("trigger_id")
    ctx = Context(
        Place(where_id, kind, PLATFORM), actor, command_prefix, str(trigger) if trigger else None
    )
    return FormSubmission(ctx, action, form_values(view))


def form_values(view: Mapping[str, Any]) -> dict[str, str]:
    """`view.state.values` ({block: {action: {value}}}) as {action id: text}; Slack sends an
    untouched optional input as `null`, which becomes ""."""
    values: dict[str, str] = {}
    blocks: Mapping[str, Any] = (view.get("state") or {}).get("values") or {}
    for block in blocks.values():
        for action_id, element in (block or {}).items():
            value = (element or {}).get("value")
            values[str(action_id)] = str(value) if value is not None else ""
    return values


def blank_inputs(view: Mapping[str, Any]) -> list[str]:
    """Block ids of the view's text inputs left empty or only spaces (Slack lets those through)."""
    blank: list[str] = []
    blocks: Mapping[str, Any] = (view.get("state") or {}).get("values") or {}
    for block_id, block in blocks.items():
        for element in (block or {}).values():
            value = (element or {}).get("value")
            if (element or {}).get("type") == "plain_text_input" and not str(value or "").strip():
                blank.append(str(block_id))
    return blank


# --- buttons (block_actions) ------------------------------------------------------------


@dataclass(frozen=True)
class ButtonPress:
    """A pressed button: who pressed it, where (the message's channel), and which."""

    ctx: Context
    press: Press
    from_home: bool = False
    """Pressed on the presser's App Home tab (its place is `home_place`)."""


def home_place(team_id: str, slack_user: str) -> Place:
    """Where a press on someone's App Home happens: a personal place named by their
    user id (the Home has no channel; Slack posts to a user id in the app's DM)."""
    return Place(place_id(team_id, slack_user), PlaceKind.PERSONAL, PLATFORM)


def is_home_view(body: Mapping[str, Any]) -> bool:
    view = body.get("view")
    return isinstance(view, Mapping) and view.get("type") == "home"


def button_press(body: Mapping[str, Any], command_prefix: str) -> ButtonPress | None:
    """A `block_actions` payload with one button as the core's inputs, or None if unusable.

    The place is the channel of the message the button is on (a direct message for a
    nudge), or for a button on the App Home tab the presser's `home_place`; the trigger
    id lets the answer open a form (a modal) within 3 s."""
    user: Mapping[str, Any] = body.get("user") or {}
    team = str(user.get("team_id") or (body.get("team") or {}).get("id") or "")
    container: Mapping[str, Any] = body.get("container") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    from_home = not channel and is_home_view(body)
    actions = body.get("actions") or []
    first = actions[0] if isinstance(actions, list) and actions else None
    if not (team and user.get("id") and (channel or from_home) and isinstance(first, Mapping)):
        return None
    action, value = first.get("action_id"), first.get("value")
    if not isinstance(action, str) or not action or not isinstance(value, str):
        return None
    name = str(user.get("name") or user.get("username") or "")
    actor = Actor(user_id(team, str(user["id"])), name)
    trigger = body.get("trigger_id")
    where = home_place(team, str(user["id"])) if from_home else place(team, channel)
    ctx = Context(where, actor, command_prefix, str(trigger) if trigger else None)
    return ButtonPress(ctx, Press(action, value), from_home)


def home_opened(body: Mapping[str, Any], command_prefix: str) -> Context | None:
    """An `app_home_opened` event for the Home tab as the opener's context, else None
    (the event also comes for the Messages tab, which has nothing to publish)."""
    event: Mapping[str, Any] = body.get("event") or {}
    if event.get("type") != "app_home_opened" or event.get("tab", "home") != "home":
        return None
    team = team_of(body, event)
    slack_user = str(event.get("user") or "")
    if not (team and slack_user):
        return None
    actor = Actor(user_id(team, slack_user), "")
    return Context(home_place(team, slack_user), actor, command_prefix)

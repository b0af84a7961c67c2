"""Pure translation of inbound Teams activities (as JSON dicts) into core inputs.

No I/O and no botbuilder types here: the functions take the activity as the Bot
Connector sends it (camelCase JSON) so they can be tested with recorded payloads.

Ids:
- place   `teams:{conversation id}` with any `;messageid=…` suffix removed (a channel
  reply chain lives in its channel's place; the root id becomes the thread id);
- user    `teams:{aadObjectId}`, falling back to `teams:{from.id}` when Teams omits it.

Commands versus contributions (the rule, also in the README):
- in a 1:1 chat every message is a command;
- in a channel or group chat a message is a command only when it @mentions the bot
  AND, once the bot's mention is removed, it is empty or its first word is a known
  verb, a near miss of one (so "memebrs" still gets "did you mean `members`?"), or
  the whole message is that one word;
- every other message there (with or without an @mention of the bot) is a
  contribution: the core's `MessagePosted`, with the reply chain's root as thread id.
  Tenants that withhold resource-specific consent only deliver @mentions, so members
  then contribute by writing `@Revans <their question>`.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.events import AppAdded, MessageDeleted, MessageEdited, MessagePosted
from bot.messages import mention_token
from bot.model import Actor, Place, PlaceKind

PLATFORM = "teams"
PREFIX = "teams:"
THREAD_SUFFIX = re.compile(r";messageid=(\d+)$")
NEAR_MISS_CUTOFF = 0.75

Json = Mapping[str, Any]


@dataclass(frozen=True)
class InboundCommand:
    place: Place
    actor: Actor
    text: str
    command_prefix: str


@dataclass(frozen=True)
class InboundForm:
    """A form card submitted in a 1:1 chat: the action and values, and where it came from.

    `origin` is the place id the card carried (`adapters.teams.cards.render_form`); it
    is only a claim, which the bot checks against the conversations it holds before the
    core checks, as for any command, that the actor may act there.
    """

    actor: Actor
    action: str
    origin: str | None
    values: Mapping[str, str]


@dataclass(frozen=True)
class InboundPress:
    """A button pressed on one of our cards (`Action.Submit` with `revans_action`), in the
    conversation the card is in."""

    place: Place
    actor: Actor
    action: str
    value: str


Inbound = InboundCommand | MessagePosted | MessageEdited | MessageDeleted
BUTTON_ACTION = "revans_action"
"""Key of a button's submit data (`adapters.teams.cards.submit_action`)."""
FORM_ACTION = "revans_form"
FORM_PLACE = "revans_place"
"""Keys of a form card's submit data (`Action.Submit.data`), merged into `value`."""
MAX_KEY = 255


def place_id_of(conversation_id: str) -> str:
    return PREFIX + THREAD_SUFFIX.sub("", conversation_id)


def thread_id_of(conversation_id: str) -> str | None:
    match = THREAD_SUFFIX.search(conversation_id)
    return match.group(1) if match else None


def user_id_of(account: Json) -> str:
    return PREFIX + (account.get("aadObjectId") or account.get("id") or "unknown")


PLACE_KINDS = {"channel": PlaceKind.CHANNEL, "groupChat": PlaceKind.GROUP}
"""Teams' `conversationType`s; anything else (`personal`, or none) is a 1:1 chat."""


def place_kind_for(conversation_type: str | None) -> PlaceKind:
    """A channel has reply chains (a round's space is the chain under its message); a
    group chat has none (the whole chat is the round's space while it runs)."""
    return PLACE_KINDS.get(conversation_type or "personal", PlaceKind.PERSONAL)


def place_kind_of(conversation: Json) -> PlaceKind:
    return place_kind_for(conversation.get("conversationType"))


def place_of(activity: Json) -> Place:
    conversation = activity.get("conversation") or {}
    return Place(place_id_of(conversation.get("id", "")), place_kind_of(conversation), PLATFORM)


def actor_of(activity: Json) -> Actor:
    sender = activity.get("from") or {}
    name = (sender.get("name") or "").strip() or "someone"
    return Actor(user_id_of(sender), name, known_zone(activity.get("localTimezone")))


def known_zone(raw: object) -> str | None:
    """The client's IANA zone if Python knows it; anything else is ignored, not trusted."""
    if not isinstance(raw, str) or not raw or len(raw) > 64:
        return None
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return raw


def mentions_of(activity: Json) -> list[Json]:
    return [e for e in activity.get("entities") or () if e.get("type") == "mention"]


def bot_is_mentioned(activity: Json) -> bool:
    bot_id = (activity.get("recipient") or {}).get("id")
    return any((m.get("mentioned") or {}).get("id") == bot_id for m in mentions_of(activity))


def unresolved_mentions(activity: Json) -> list[str]:
    """Teams ids of mentioned people whose entity carries no aadObjectId."""
    bot_id = (activity.get("recipient") or {}).get("id")
    ids = [(m.get("mentioned") or {}) for m in mentions_of(activity)]
    return [m["id"] for m in ids if m.get("id") and m["id"] != bot_id and not m.get("aadObjectId")]


def neutralise_text(activity: Json, known: Mapping[str, str] | None = None) -> str:
    """The message text with the bot's mention removed and others as neutral tokens.

    `known` maps Teams member ids to the user ids we already hold for them, for
    mention entities that omit the aadObjectId (so one person keeps one user id).
    """
    known = known or {}
    bot_id = (activity.get("recipient") or {}).get("id")
    # Entities come in the text's order; two people with one name share one markup,
    # so each markup's replacements are used in turn (the last one for any extra tag).
    by_markup: dict[str, list[str]] = {}
    for entity in mentions_of(activity):
        mentioned = entity.get("mentioned") or {}
        markup = entity.get("text") or f"<at>{mentioned.get('name', '')}</at>"
        if mentioned.get("id") == bot_id:
            by_markup.setdefault(markup, []).append("")
        else:
            user_id = known.get(mentioned.get("id", "")) or user_id_of(mentioned)
            by_markup.setdefault(markup, []).append(mention_token(user_id))

    raw = activity.get("text") or ""
    pieces: list[str] = []
    tokens: list[str] = []
    last = 0
    for tag in at_tags(raw):
        pieces.append(_plain(raw[last : tag.start]))
        queued = by_markup.get(raw[tag.start : tag.end])
        replacement = (queued.pop(0) if len(queued) > 1 else queued[0]) if queued else None
        if replacement is None:  # a mention without an entity: just the name
            pieces.append(_plain(tag.inner))
        elif replacement:  # held back until typed text is escaped (below)
            tokens.append(replacement)
            pieces.append(f"{HELD}{len(tokens) - 1}{HELD}")
        last = tag.end
    pieces.append(_plain(raw[last:]))
    # A typed `<@` (sent as `&lt;@`, or joined across a removed mention) stays escaped,
    # so typed text can never pass for a mention of someone Teams did not resolve.
    text = " ".join("".join(pieces).split()).replace("<@", "&lt;@")
    return HELD_TOKEN.sub(lambda m: tokens[int(m.group(1))], text)


HELD = "\x00"
HELD_TOKEN = re.compile(r"\x00(\d+)\x00")


def _plain(fragment: str) -> str:
    """Teams sends some text as HTML: drop tags, decode entities, no hard spaces."""
    return html.unescape(strip_tags(fragment)).replace("\xa0", " ").replace(HELD, "")


# Tags are found by scanning, not by regular expressions: `<at[^>]*>(.*?)</at>` and
# `<[^>]+>` backtrack over every `<` that is never closed, which is quadratic in the
# text's length (56 KB of `<at>` took 4.4 s and froze the event loop). Each scan below
# looks at every character a bounded number of times.


@dataclass(frozen=True)
class AtTag:
    """`<at …>inner</at>` (any case) at raw[start:end]."""

    start: int
    end: int
    inner: str


def at_tags(raw: str) -> Iterator[AtTag]:
    """Each `<at…>…</at>` in order, as `<at[^>]*>(.*?)</at>` (ignoring case) finds them."""
    pos = 0
    while True:
        start = _find_ci(raw, "<at", pos)
        if start < 0:
            return
        opened = raw.find(">", start + 3)
        if opened < 0:
            return  # no `>` after this `<at`, so none after any later one either
        close = _find_ci(raw, "</at>", opened + 1)
        if close < 0:
            return  # likewise: no later tag can be closed
        yield AtTag(start, close + 5, raw[opened + 1 : close])
        pos = close + 5


def _find_ci(text: str, needle: str, pos: int) -> int:
    """`text.find(needle, pos)` ignoring ASCII case; `needle` is lower case and starts with `<`."""
    while True:
        at = text.find("<", pos)
        if at < 0 or text[at : at + len(needle)].lower() == needle:
            return at
        pos = at + 1


def strip_tags(fragment: str) -> str:
    """`fragment` without its tags, as `re.sub(r"<[^>]+>", "", fragment)` would leave it."""
    kept: list[str] = []
    pos = 0
    while True:
        start = fragment.find("<", pos)
        if start < 0:
            break
        end = fragment.find(">", start + 1)
        if end < 0:
            break  # never closed: the rest is text
        if end == start + 1:  # `<>` is no tag
            kept.append(fragment[pos : start + 1])
            pos = start + 1
            continue
        kept.append(fragment[pos:start])
        pos = end + 1
    kept.append(fragment[pos:])
    return "".join(kept)


def looks_like_command(text: str, verbs: Iterable[str]) -> bool:
    words = text.split()
    if not words:
        return True
    first = words[0].lower()
    known = list(verbs)
    if first in known:
        return True
    near = difflib.get_close_matches(first, known, n=1, cutoff=NEAR_MISS_CUTOFF)
    return bool(near) or len(words) == 1


def command_prefix_for(place: Place, bot_name: str) -> str:
    return "" if place.kind is PlaceKind.PERSONAL else f"@{bot_name} "


def translate_message(
    activity: Json, verbs: Iterable[str], known: Mapping[str, str] | None = None
) -> Inbound | None:
    """A `message` activity as a command or a contribution; None when it carries no text.

    A card's submitted values (`value` without text) are not words: None here (forms
    are `translate_form_submit`'s), rather than an empty command answered with help.
    """
    if activity.get("value") is not None and not (activity.get("text") or "").strip():
        return None
    place = place_of(activity)
    actor = actor_of(activity)
    text = neutralise_text(activity, known)
    bot_name = (activity.get("recipient") or {}).get("name") or "Revans"
    personal = place.kind is PlaceKind.PERSONAL
    if personal or (bot_is_mentioned(activity) and looks_like_command(text, verbs)):
        return InboundCommand(place, actor, text, command_prefix_for(place, bot_name))
    if not text or not activity.get("id"):
        return None
    conversation_id = (activity.get("conversation") or {}).get("id", "")
    return MessagePosted(
        place=place,
        author=actor,
        message_id=str(activity["id"]),
        text=text,
        thread_id=thread_id_of(conversation_id),
    )


def translate_form_submit(activity: Json) -> InboundForm | None:
    """A form card's submit (`value` without text, in a 1:1 chat); None for anything else.

    Input values are the submitted strings, by input id (the form's field names);
    the card's own keys are not values. Buttons' submits (`revans_action`) are not forms.
    """
    value = activity.get("value")
    if not isinstance(value, Mapping) or (activity.get("text") or "").strip():
        return None
    if place_of(activity).kind is not PlaceKind.PERSONAL:
        return None
    action = value.get(FORM_ACTION)
    if not isinstance(action, str) or not action:
        return None
    origin = value.get(FORM_PLACE)
    values = {k: v for k, v in value.items() if isinstance(v, str) and not k.startswith("revans_")}
    origin_id = origin if isinstance(origin, str) and origin.startswith(PREFIX) else None
    return InboundForm(actor_of(activity), action, origin_id, values)


def translate_press(activity: Json) -> InboundPress | None:
    """A button's submit (`value` with `revans_action`, no text); None for anything else."""
    value = activity.get("value")
    if not isinstance(value, Mapping) or (activity.get("text") or "").strip():
        return None
    action, pressed = value.get(BUTTON_ACTION), value.get("value")
    if not isinstance(action, str) or not action or not isinstance(pressed, str):
        return None
    return InboundPress(place_of(activity), actor_of(activity), action, pressed)


def inbox_key(activity: Json) -> str | None:
    """The inbox key of one message delivery: its conversation and activity ids (ids only);
    of Revans being added to a place: `welcome:` and the place's id, so the welcome is said
    once even though Teams announces one installation twice (a conversation update and an
    installation update, with different activity ids).

    None for other activities and for a message without an id. Edits and deletions
    carry the id of the message they change (every edit of one message the same id),
    so an id cannot tell their redelivery from a new edit; they are idempotent anyway
    (the text an edit carries replaces the stored one; deleting twice deletes once),
    as are the other conversation and installation updates, which only refresh references.
    A key longer than the inbox column is replaced by its digest.
    """
    conversation_id = (activity.get("conversation") or {}).get("id")
    if not conversation_id or not isinstance(conversation_id, str):
        return None
    if revans_added(activity):
        return _bounded(f"welcome:{place_id_of(conversation_id)}", "welcome#")
    activity_id = activity.get("id")
    if activity.get("type") != "message" or not activity_id:
        return None
    return _bounded(f"activity:{conversation_id}:{activity_id}", "activity#")


def _bounded(key: str, digest_prefix: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return digest_prefix + hashlib.sha256(key.encode()).hexdigest()


def revans_added(activity: Json) -> bool:
    """Revans was added to the conversation: a conversation update whose `membersAdded`
    holds the bot itself (a team, a group chat, a 1:1), or an installation update `add`."""
    kind = activity.get("type")
    if kind == "installationUpdate":
        return activity.get("action") == "add"
    if kind != "conversationUpdate":
        return False
    bot_id = (activity.get("recipient") or {}).get("id")
    added = activity.get("membersAdded")
    return (
        bool(bot_id)
        and isinstance(added, list)
        and any(isinstance(member, dict) and member.get("id") == bot_id for member in added)
    )


def revans_removed(activity: Json) -> bool:
    """Revans was removed from the conversation: an installation update `remove`, or a
    conversation update whose `membersRemoved` holds the bot itself."""
    kind = activity.get("type")
    if kind == "installationUpdate":
        return activity.get("action") == "remove"
    if kind != "conversationUpdate":
        return False
    bot_id = (activity.get("recipient") or {}).get("id")
    removed = activity.get("membersRemoved")
    return (
        bool(bot_id)
        and isinstance(removed, list)
        and any(isinstance(member, dict) and member.get("id") == bot_id for member in removed)
    )


def translate_added(activity: Json) -> AppAdded | None:
    if not revans_added(activity):
        return None
    name = (activity.get("recipient") or {}).get("name")
    return AppAdded(place_of(activity), name if isinstance(name, str) and name else "Revans")


def translate_edit(activity: Json, known: Mapping[str, str] | None = None) -> MessageEdited | None:
    if not activity.get("id"):
        return None
    text = neutralise_text(activity, known)
    return MessageEdited(place_of(activity), str(activity["id"]), text)


def translate_delete(activity: Json) -> MessageDeleted | None:
    if not activity.get("id"):
        return None
    return MessageDeleted(place_of(activity), str(activity["id"]))


def tenant_id_of(activity: Json) -> str | None:
    conversation = activity.get("conversation") or {}
    channel_data = activity.get("channelData") or {}
    tenant = channel_data.get("tenant") or {}
    return conversation.get("tenantId") or tenant.get("id")


@dataclass(frozen=True)
class ConversationRef:
    """What we keep to speak in a conversation later (a slim ConversationReference)."""

    service_url: str
    conversation_id: str
    conversation_type: str
    bot_id: str
    bot_name: str
    tenant_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "serviceUrl": self.service_url,
            "conversation": {
                "id": self.conversation_id,
                "conversationType": self.conversation_type,
                "tenantId": self.tenant_id,
            },
            "bot": {"id": self.bot_id, "name": self.bot_name},
            "channelId": "msteams",
        }

    @classmethod
    def from_json(cls, data: Json) -> ConversationRef:
        conversation = data.get("conversation") or {}
        bot = data.get("bot") or {}
        return cls(
            service_url=data["serviceUrl"],
            conversation_id=conversation["id"],
            conversation_type=conversation.get("conversationType") or "personal",
            bot_id=bot.get("id", ""),
            bot_name=bot.get("name") or "Revans",
            tenant_id=conversation.get("tenantId"),
        )


def reference_of(activity: Json) -> ConversationRef | None:
    """The conversation's reference, without a reply chain suffix; None if incomplete."""
    conversation = activity.get("conversation") or {}
    recipient = activity.get("recipient") or {}
    if not activity.get("serviceUrl") or not conversation.get("id") or not recipient.get("id"):
        return None
    return ConversationRef(
        service_url=activity["serviceUrl"],
        conversation_id=THREAD_SUFFIX.sub("", conversation["id"]),
        conversation_type=conversation.get("conversationType") or "personal",
        bot_id=recipient["id"],
        bot_name=recipient.get("name") or "Revans",
        tenant_id=tenant_id_of(activity),
    )


@dataclass(frozen=True)
class TeamsMember:
    """How to reach one user privately: their Teams id where we met them."""

    user_id: str
    member_id: str
    service_url: str
    tenant_id: str | None
    bot_id: str
    bot_name: str


def member_of(activity: Json) -> TeamsMember | None:
    sender = activity.get("from") or {}
    recipient = activity.get("recipient") or {}
    if not sender.get("id") or not recipient.get("id") or not activity.get("serviceUrl"):
        return None
    return TeamsMember(
        user_id=user_id_of(sender),
        member_id=sender["id"],
        service_url=activity["serviceUrl"],
        tenant_id=tenant_id_of(activity),
        bot_id=recipient["id"],
        bot_name=recipient.get("name") or "Revans",
    )

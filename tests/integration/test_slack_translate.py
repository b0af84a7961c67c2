"""Slack payloads → neutral core values, with payloads in Slack's recorded shapes."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack.handlers import delivery_keys
from adapters.slack.translate import (
    button_press,
    command_context,
    command_text,
    home_opened,
    message_event,
    neutralise_mentions,
    parse_id,
    place_kind,
)
from bot import grammar
from bot.catalogue import VERBS
from bot.commands import Command
from bot.events import MessageDeleted, MessageEdited, MessagePosted
from bot.messages import MENTION_TOKEN
from bot.model import PlaceKind
from tests.confidential import PLANTED


def parse(text: str) -> Command:
    return grammar.parse(VERBS, text)


SLASH: dict[str, Any] = {
    "token": "gIkuvaNzQIHg97ATvDxqgjtO",
    "team_id": "T0001",
    "team_domain": "example",
    "enterprise_id": "E0001",
    "channel_id": "C2147483705",
    "channel_name": "ward-leaders",
    "user_id": "U2147483697",
    "user_name": "Steve",
    "command": "/set",
    "text": "add <@U0AAA|ann> <@W0BBB> as member",
    "api_app_id": "A123456",
    "response_url": "https://hooks.slack.com/commands/1234/5678",
    "trigger_id": "13345224609.738474920.8088930838d88f008e0",
}


def event_callback(event: dict[str, Any], event_id: str = "Ev0PV52K21") -> dict[str, Any]:
    return {
        "token": "XXYYZZ",
        "team_id": "T0001",
        "api_app_id": "A123456",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1355517523,
    }


THREAD_REPLY = {
    "type": "message",
    "channel": "C2147483705",
    "user": "U2147483697",
    "text": f"What matters most to you here? <@U0AAA> {PLANTED}",
    "ts": "1355517523.000005",
    "thread_ts": "1355517500.000001",
    "parent_user_id": "U0AAA",
    "channel_type": "channel",
    "event_ts": "1355517523.000005",
}


@pytest.mark.parametrize(
    ("channel", "channel_type", "kind"),
    [
        ("C123", None, PlaceKind.CHANNEL),
        ("C123", "channel", PlaceKind.CHANNEL),
        # private channels and group DMs have threads: the round's space is its thread
        ("G123", None, PlaceKind.CHANNEL),
        ("C123", "group", PlaceKind.CHANNEL),
        ("C123", "private_channel", PlaceKind.CHANNEL),
        ("G123", "mpim", PlaceKind.CHANNEL),
        ("D123", None, PlaceKind.PERSONAL),
        ("D123", "im", PlaceKind.PERSONAL),
    ],
)
def test_place_kinds(channel: str, channel_type: str | None, kind: PlaceKind) -> None:
    assert place_kind(channel, channel_type) is kind


def test_mentions_become_neutral_tokens_with_or_without_names() -> None:
    text = neutralise_mentions("ask <@U0AAA|ann> and <@W0BBB>, not <#C1|general>", "T1")
    assert text == "ask <@slack:T1:U0AAA> and <@slack:T1:W0BBB>, not <#C1|general>"


def test_slack_escapes_are_undone_but_typed_mentions_stay_text() -> None:
    text = neutralise_mentions("A &amp; B &lt;3 &gt; &amp;lt; &lt;@U0FAKE&gt; <@U0AAA>", "T1")
    assert text == "A & B <3 > &lt; &lt;@U0FAKE> <@slack:T1:U0AAA>"
    assert MENTION_TOKEN.findall(text) == ["slack:T1:U0AAA"]


def test_a_slash_command_becomes_a_context_and_neutral_text() -> None:
    ctx = command_context(SLASH, "/set ")
    assert ctx.place.id == "slack:T0001:C2147483705" and ctx.place.kind is PlaceKind.CHANNEL
    assert ctx.place.platform == "slack"
    assert ctx.actor.user_id == "slack:T0001:U2147483697" and ctx.actor.display_name == "Steve"
    assert ctx.command_prefix == "/set "
    assert command_text(SLASH) == "add <@slack:T0001:U0AAA> <@slack:T0001:W0BBB> as member"


@pytest.mark.parametrize(
    ("channel_id", "channel_name", "kind"),
    [
        ("D024BE91L", "directmessage", PlaceKind.PERSONAL),
        ("G0PRIV", "privategroup", PlaceKind.CHANNEL),
        ("C0MPDM", "mpdm-ann--ben-1", PlaceKind.CHANNEL),
    ],
)
def test_slash_commands_in_private_places(channel_id: str, channel_name: str, kind: str) -> None:
    body = {**SLASH, "channel_id": channel_id, "channel_name": channel_name}
    assert command_context(body, "/set ").place.kind is kind


def test_unknown_words_parse_to_an_error_the_adapter_prefixes() -> None:
    with pytest.raises(Exception, match="Did you mean `members`"):
        parse(command_text({**SLASH, "text": "membres"}))


def test_a_thread_reply_is_a_message_posted_in_its_thread() -> None:
    event = message_event(event_callback(THREAD_REPLY))
    assert isinstance(event, MessagePosted)
    assert event.place == command_context(SLASH, "").place
    assert event.author.user_id == "slack:T0001:U2147483697"
    assert event.message_id == "1355517523.000005"
    assert event.thread_id == "1355517500.000001"
    assert event.text == f"What matters most to you here? <@slack:T0001:U0AAA> {PLANTED}"


@pytest.mark.parametrize("subtype", ["thread_broadcast", "file_share", "me_message"])
def test_subtypes_that_are_people_posting_words(subtype: str) -> None:
    event = message_event(event_callback({**THREAD_REPLY, "subtype": subtype}))
    assert isinstance(event, MessagePosted) and event.message_id == THREAD_REPLY["ts"]


def test_a_top_level_message_and_a_thread_root_have_no_thread() -> None:
    root = {**THREAD_REPLY, "ts": "1355517500.000001", "thread_ts": "1355517500.000001"}
    event = message_event(event_callback(root))
    assert isinstance(event, MessagePosted) and event.thread_id is None
    plain = {k: v for k, v in THREAD_REPLY.items() if k != "thread_ts"}
    event = message_event(event_callback(plain))
    assert isinstance(event, MessagePosted) and event.thread_id is None


def test_an_app_mention_is_the_same_message() -> None:
    mention = {k: v for k, v in THREAD_REPLY.items() if k != "channel_type"}
    mention["type"] = "app_mention"
    assert message_event(event_callback(mention)) == message_event(event_callback(THREAD_REPLY))
    keys_a = delivery_keys(event_callback(mention, "EvA"))
    keys_b = delivery_keys(event_callback(THREAD_REPLY, "EvB"))
    assert keys_a[1] == keys_b[1] == "message:T0001:C2147483705:1355517523.000005"
    assert keys_a[0] != keys_b[0]


def test_edits_and_deletions() -> None:
    changed = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": "C2147483705",
        "ts": "1358878755.000001",
        "message": {
            "type": "message",
            "user": "U2147483697",
            "text": "Hello, <@U0AAA>",
            "ts": "1355517523.000005",
            "edited": {"user": "U2147483697", "ts": "1358878755.000001"},
        },
        "previous_message": {"type": "message", "text": "Hello", "ts": "1355517523.000005"},
    }
    edited = message_event(event_callback(changed))
    assert isinstance(edited, MessageEdited)
    assert (edited.message_id, edited.text) == ("1355517523.000005", "Hello, <@slack:T0001:U0AAA>")
    same_words = {"type": "message", "text": "Hello, <@U0AAA>", "ts": "1355517523.000005"}
    unfurl = {**changed, "previous_message": same_words}
    assert message_event(event_callback(unfurl)) is None

    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": "C2147483705",
        "ts": "1358878755.000001",
        "deleted_ts": "1358878749.000002",
    }
    assert message_event(event_callback(deleted)) == MessageDeleted(
        command_context(SLASH, "").place, "1358878749.000002"
    )
    assert delivery_keys(event_callback(deleted)) == ["event:Ev0PV52K21"]


@pytest.mark.parametrize(
    "event",
    [
        {**THREAD_REPLY, "bot_id": "B123"},
        {**THREAD_REPLY, "subtype": "bot_message", "bot_id": "B1"},
        {**THREAD_REPLY, "subtype": "channel_join", "text": "<@U1> has joined the channel"},
        {**THREAD_REPLY, "subtype": "channel_topic"},
        {**THREAD_REPLY, "subtype": "message_replied"},
        {k: v for k, v in THREAD_REPLY.items() if k != "user"},
    ],
)
def test_bots_and_other_subtypes_are_ignored(event: dict[str, Any]) -> None:
    assert message_event(event_callback(event)) is None


def test_slash_commands_are_keyed_by_a_hash_of_the_trigger() -> None:
    (key,) = delivery_keys(SLASH)
    assert key.startswith("trigger:") and SLASH["trigger_id"] not in key


def test_ids_round_trip() -> None:
    ref = parse_id("slack:T1:C2")
    assert (ref.team_id, ref.slack_id) == ("T1", "C2")
    for bad in ("teams:x:y", "slack:T1", "console:ann"):
        with pytest.raises(ValueError):
            parse_id(bad)


def _home_press(**extra: Any) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U2", "name": "ann", "team_id": "T1"},
        "trigger_id": "13.45.ab",
        "container": {"type": "view", "view_id": "V1"},
        "view": {"id": "V1", "type": "home"},
        "actions": [{"type": "button", "action_id": "nudge.done", "value": "s a home"}],
        **extra,
    }


def test_a_press_on_the_home_tab_happens_in_the_pressers_own_place() -> None:
    pressed = button_press(_home_press(), "/set ")
    assert pressed is not None and pressed.from_home
    assert (pressed.ctx.place.id, pressed.ctx.place.kind) == ("slack:T1:U2", PlaceKind.PERSONAL)
    assert (pressed.press.action, pressed.press.value) == ("nudge.done", "s a home")
    # a view that is not a home view (a modal) and has no channel is not ours to place
    assert button_press(_home_press(view={"id": "V1", "type": "modal"}), "/set ") is None


def test_app_home_opened_for_the_home_tab_only() -> None:
    event = {"type": "app_home_opened", "user": "U2", "channel": "D2", "tab": "home"}
    ctx = home_opened({"team_id": "T1", "event": event}, "/set ")
    assert ctx is not None and ctx.actor.user_id == "slack:T1:U2"
    assert ctx.command_prefix == "/set "
    messages_tab = {"team_id": "T1", "event": {**event, "tab": "messages"}}
    assert home_opened(messages_tab, "/set ") is None
    assert home_opened({"team_id": "T1", "event": {**event, "user": ""}}, "/set ") is None

"""Button presses as each platform delivers them, translated into the core's `Press`;
and a message with a row of buttons per action rendered so each row stays by its action."""

from __future__ import annotations

from typing import Any

from adapters.slack.blocks import message_blocks
from adapters.slack.handlers import delivery_keys, delivery_kind
from adapters.slack.translate import button_press
from adapters.teams.cards import render_activity
from adapters.teams.translate import translate_form_submit, translate_press
from bot.messages import Button, Buttons, Message, Section, Text
from bot.model import PlaceKind
from bot.presses import Press

VALUE = "set1 act1 action.nudge:slack:T1:U1:20270315T090000"


def slack_block_actions(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1", "domain": "ward"},
        "user": {"id": "U1", "username": "ann", "name": "ann", "team_id": "T1"},
        "trigger_id": "111.222.abc",
        "response_url": "https://hooks.slack.test/actions/T1/1/x",
        "container": {"type": "message", "message_ts": "1700.1", "channel_id": "D1"},
        "channel": {"id": "D1", "name": "directmessage"},
        "actions": [
            {
                "action_id": "nudge.done",
                "block_id": "b1",
                "type": "button",
                "value": VALUE,
                "action_ts": "1700.2",
            }
        ],
    }
    body.update(overrides)
    return body


def test_a_slack_button_is_a_press_in_the_direct_message_it_is_on() -> None:
    pressed = button_press(slack_block_actions(), "/set ")
    assert pressed is not None
    assert pressed.press == Press("nudge.done", VALUE)
    ctx = pressed.ctx
    assert ctx.actor.user_id == "slack:T1:U1" and ctx.trigger == "111.222.abc"
    assert ctx.place.id == "slack:T1:D1" and ctx.place.kind is PlaceKind.PERSONAL
    # the inbox knows a press delivered twice by its trigger id
    assert delivery_kind(slack_block_actions()) == "interaction"
    assert delivery_keys(slack_block_actions()) == delivery_keys(slack_block_actions())
    assert delivery_keys(slack_block_actions()) != delivery_keys(
        slack_block_actions(trigger_id="333.444.def")
    )


def test_an_unusable_slack_action_is_none() -> None:
    assert button_press(slack_block_actions(actions=[]), "/set ") is None
    assert button_press(slack_block_actions(user={}), "/set ") is None
    no_value = [{"action_id": "nudge.done", "type": "button"}]
    assert button_press(slack_block_actions(actions=no_value), "/set ") is None


def teams_submit(value: dict[str, Any], text: str = "") -> dict[str, Any]:
    return {
        "type": "message",
        "id": "act-9",
        "text": text,
        "value": value,
        "from": {"id": "29:ann", "aadObjectId": "aad-ann", "name": "Ann"},
        "conversation": {"id": "a:1on1-ann", "conversationType": "personal"},
        "recipient": {"id": "28:bot", "name": "Revans"},
        "serviceUrl": "https://smba.test/",
    }


def test_a_teams_button_submit_is_a_press_in_its_conversation_not_a_form() -> None:
    activity = teams_submit({"revans_action": "nudge.snooze_day", "value": VALUE})
    assert translate_form_submit(activity) is None
    pressed = translate_press(activity)
    assert pressed is not None
    assert (pressed.action, pressed.value) == ("nudge.snooze_day", VALUE)
    assert pressed.actor.user_id == "teams:aad-ann"
    assert pressed.place.id == "teams:a:1on1-ann" and pressed.place.kind is PlaceKind.PERSONAL
    assert translate_press(teams_submit({"revans_form": "challenge", "text": "x"})) is None
    assert translate_press(teams_submit({"revans_action": "nudge.done"})) is None  # no value


def two_rows() -> Message:
    def row(n: str) -> Buttons:
        return Buttons((Button("Done", "nudge.done", n, "primary"), Button("Snooze", "s", n)))

    return Message(
        (
            Section(Text.of("Nudge")),
            Section(Text.of("Action 1")),
            row("v1"),
            Section(Text.of("Action 2")),
            row("v2"),
        )
    )


def test_rows_of_buttons_stay_under_their_action_on_both_platforms() -> None:
    blocks = message_blocks(two_rows())
    assert [b["type"] for b in blocks] == ["section", "section", "actions", "section", "actions"]
    assert blocks[4]["elements"][0]["value"] == "v2"
    card = render_activity(two_rows(), name_of=lambda u: u)["attachments"][0]["content"]
    assert "actions" not in card
    kinds = [b["type"] for b in card["body"]]
    assert kinds == ["TextBlock", "TextBlock", "ActionSet", "TextBlock", "ActionSet"]
    assert card["body"][4]["actions"][0]["data"] == {"revans_action": "nudge.done", "value": "v2"}

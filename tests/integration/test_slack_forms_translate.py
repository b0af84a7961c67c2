"""Forms in Slack: the command's trigger, the modal's metadata, and `view_submission` payloads
(in Slack's recorded shape) turned into the core's inputs."""

from __future__ import annotations

import copy
import json
from typing import Any

from adapters.slack.blocks import modal_view
from adapters.slack.handlers import delivery_keys, delivery_kind
from adapters.slack.translate import (
    blank_inputs,
    command_context,
    form_metadata,
    form_submission,
    form_values,
)
from bot.messages import Form, FormField
from bot.model import PlaceKind
from tests.confidential import PLANTED

SUBMISSION: dict[str, Any] = {
    "type": "view_submission",
    "team": {"id": "T0001", "domain": "example"},
    "user": {"id": "U2147483697", "username": "steve", "name": "steve", "team_id": "T0001"},
    "api_app_id": "A123456",
    "token": "gIkuvaNzQIHg97ATvDxqgjtO",
    "trigger_id": "12466734323.1395872398.ac6e8d0b8bc1d7b8d2e5",
    "view": {
        "id": "VNHU13V36",
        "team_id": "T0001",
        "type": "modal",
        "callback_id": "challenge",
        "private_metadata": '{"place": "slack:T0001:G0PRIV", "kind": "group"}',
        "hash": "156663117.cd33ad1f",
        "state": {
            "values": {
                "text": {"text": {"type": "plain_text_input", "value": f"Rota gaps {PLANTED}"}}
            }
        },
        "blocks": [],
    },
    "response_urls": [],
    "is_enterprise_install": False,
}


def with_view(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(SUBMISSION)
    body["view"].update(changes)
    return body


def test_a_slash_command_carries_its_trigger_id_for_forms() -> None:
    body = {
        "team_id": "T1",
        "channel_id": "C1",
        "user_id": "U1",
        "text": "challenge",
        "trigger_id": "1.2.abc",
    }
    assert command_context(body, "/set ").trigger == "1.2.abc"
    assert command_context({**body, "trigger_id": ""}, "/set ").trigger is None


def test_a_modal_carries_the_place_and_the_forms_action() -> None:
    form = Form("goal", "Your development goal", (FormField("text", "Goal", multiline=True),))
    view = modal_view(form, form_metadata("slack:T1:D1"))
    assert view["callback_id"] == "goal"
    assert json.loads(view["private_metadata"]) == {"place": "slack:T1:D1", "kind": "personal"}
    assert "private_metadata" not in modal_view(form)


def test_a_submission_becomes_the_forms_action_values_and_context() -> None:
    submitted = form_submission(SUBMISSION, "/set ")
    assert submitted is not None
    assert submitted.action == "challenge"
    assert submitted.values == {"text": f"Rota gaps {PLANTED}"}
    ctx = submitted.ctx
    assert ctx.place.id == "slack:T0001:G0PRIV" and ctx.place.kind is PlaceKind.GROUP
    assert ctx.place.platform == "slack"
    assert ctx.actor.user_id == "slack:T0001:U2147483697"
    assert ctx.command_prefix == "/set " and ctx.trigger == SUBMISSION["trigger_id"]


def test_metadata_without_a_kind_infers_it_from_the_channel_id() -> None:
    body = with_view(private_metadata='{"place": "slack:T0001:D0ME"}')
    submitted = form_submission(body, "/set ")
    assert submitted is not None and submitted.ctx.place.kind is PlaceKind.PERSONAL


def test_submissions_that_are_not_our_forms_are_refused() -> None:
    assert form_submission(with_view(private_metadata=""), "/set ") is None
    assert form_submission(with_view(private_metadata="not json"), "/set ") is None
    assert form_submission(with_view(private_metadata='{"kind": "channel"}'), "/set ") is None
    assert form_submission(with_view(private_metadata='{"place": "teams:x"}'), "/set ") is None
    other_team = '{"place": "slack:T9999:C1", "kind": "channel"}'
    assert form_submission(with_view(private_metadata=other_team), "/set ") is None
    bad_kind = '{"place": "slack:T0001:C1", "kind": "planet"}'
    assert form_submission(with_view(private_metadata=bad_kind), "/set ") is None
    assert form_submission(with_view(callback_id=""), "/set ") is None


def test_values_and_blank_inputs() -> None:
    view = {
        "state": {
            "values": {
                "a": {"text": {"type": "plain_text_input", "value": None}},
                "b": {"more": {"type": "plain_text_input", "value": " \n\t"}},
                "c": {"words": {"type": "plain_text_input", "value": "fine"}},
                "d": {"pick": {"type": "static_select", "selected_option": None}},
            }
        }
    }
    assert form_values(view) == {"text": "", "more": " \n\t", "words": "fine", "pick": ""}
    assert blank_inputs(view) == ["a", "b"]
    assert blank_inputs(SUBMISSION["view"]) == []
    assert blank_inputs({}) == []


def test_submissions_are_keyed_by_their_fresh_trigger_id() -> None:
    first = delivery_keys(SUBMISSION)
    again = delivery_keys(SUBMISSION)
    # Sent back with field errors and submitted again: same view id, a new trigger id.
    retried = delivery_keys({**SUBMISSION, "trigger_id": "12466734323.1395872398.ffff"})
    assert first == again and len(first) == 1 and first[0].startswith("trigger:")
    assert retried != first
    assert SUBMISSION["trigger_id"] not in first[0], "hashed, like every trigger key"
    assert delivery_kind(SUBMISSION) == "interaction"


def test_a_long_modal_title_is_cut_at_a_word() -> None:
    form = Form("challenge", "The set's shared challenge", (FormField("text", "Challenge"),))
    assert modal_view(form)["title"]["text"] == "The set's shared…"
    form = Form("challenge", "Averyveryverylongsingleword", (FormField("text", "Challenge"),))
    assert modal_view(form)["title"]["text"] == "Averyveryverylongsingle…"

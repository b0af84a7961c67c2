"""The Teams translators against recorded-style activity JSON (pure functions)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.translate import (
    InboundCommand,
    InboundForm,
    inbox_key,
    looks_like_command,
    member_of,
    neutralise_text,
    place_id_of,
    reference_of,
    revans_removed,
    thread_id_of,
    translate_added,
    translate_delete,
    translate_edit,
    translate_form_submit,
    translate_message,
    unresolved_mentions,
)
from bot.catalogue import VERBS as REGISTRY
from bot.events import MessageDeleted, MessageEdited, MessagePosted
from bot.model import PlaceKind

PAYLOADS = Path(__file__).parent / "teams_payloads"
VERBS = tuple(REGISTRY.names)


def load(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def test_a_channel_mention_is_a_command_with_mentions_neutralised() -> None:
    inbound = translate_message(load("channel_mention"), (*VERBS, "add"))
    assert isinstance(inbound, InboundCommand)
    assert inbound.text == "add <@teams:9c1d-amara> as member"
    assert inbound.place.id == "teams:19:abc123@thread.tacv2"
    assert inbound.place.kind is PlaceKind.CHANNEL and inbound.place.platform == "teams"
    assert inbound.actor.user_id == "teams:6b2f-farah"
    assert inbound.actor.display_name == "Farah Khan"
    assert inbound.actor.platform_tz == "Europe/London"
    assert inbound.command_prefix == "@Revans "


def test_a_personal_message_is_always_a_command_without_prefix() -> None:
    inbound = translate_message(load("personal"), VERBS)
    assert isinstance(inbound, InboundCommand)
    assert inbound.text == "members" and inbound.command_prefix == ""
    assert inbound.place == inbound.place.__class__(
        "teams:a:1personalChatId", PlaceKind.PERSONAL, "teams"
    )


def test_a_group_chat_message_without_mention_is_a_contribution() -> None:
    event = translate_message(load("group_chat"), VERBS)
    assert isinstance(event, MessagePosted)
    assert event.text == "I tried the rota swap and it half worked"
    assert event.author.user_id == "teams:29:1chenTeamsId"  # no aadObjectId: the Teams id
    assert event.thread_id is None and event.message_id == "1700000000789"
    assert event.place.kind is PlaceKind.GROUP


@pytest.mark.parametrize(
    ("words", "is_command"),
    [
        ("", True),
        ("members", True),
        ("Join", True),
        ("memebrs", True),  # near miss: "did you mean"
        ("frobnicate", True),  # one word: answered "I don't know"
        ("what made you choose that?", False),
        ("I think the rota is the real problem", False),
    ],
)
def test_the_command_rule(words: str, is_command: bool) -> None:
    assert looks_like_command(words, VERBS) is is_command


def test_a_mention_of_the_bot_in_a_reply_chain_that_is_not_a_command_is_a_contribution() -> None:
    activity = load("channel_mention")
    activity["text"] = "<at>Revans</at> what would <at>Amara Okafor</at> do first?"
    event = translate_message(activity, VERBS)
    assert isinstance(event, MessagePosted)
    assert event.text == "what would <@teams:9c1d-amara> do first?"
    assert event.thread_id == "1700000000123"
    assert event.place.id == "teams:19:abc123@thread.tacv2"


def test_markup_without_an_entity_keeps_the_name_and_html_is_decoded() -> None:
    activity = load("channel_mention")
    activity["text"] = "<at>Revans</at> <p>join &amp; <at>Nobody</at></p>"
    assert neutralise_text(activity) == "join & Nobody"


def test_thread_ids_and_place_ids() -> None:
    assert place_id_of("19:x@thread.tacv2;messageid=17") == "teams:19:x@thread.tacv2"
    assert thread_id_of("19:x@thread.tacv2;messageid=17") == "17"
    assert thread_id_of("19:x@thread.tacv2") is None


def test_edit_and_delete() -> None:
    activity = load("channel_mention")
    activity.update(type="messageUpdate", text="<at>Revans</at> edited")
    assert translate_edit(activity) == MessageEdited(
        translate_edit(activity).place,
        "1700000000123",
        "edited",  # type: ignore[union-attr]
    )
    deleted = translate_delete(activity)
    assert isinstance(deleted, MessageDeleted) and deleted.message_id == "1700000000123"
    no_id = copy.deepcopy(activity)
    del no_id["id"]
    assert translate_edit(no_id) is None and translate_delete(no_id) is None


def test_references_drop_the_reply_chain_and_keep_the_tenant() -> None:
    ref = reference_of(load("channel_mention"))
    assert ref is not None
    assert ref.conversation_id == "19:abc123@thread.tacv2"
    assert ref.tenant_id == "72f9-tenant" and ref.bot_id == "28:bot-app-id"
    assert ref.conversation_type == "channel"
    assert type(ref).from_json(json.loads(json.dumps(ref.to_json()))) == ref
    member = member_of(load("channel_mention"))
    assert member is not None
    assert (member.user_id, member.member_id) == ("teams:6b2f-farah", "29:1farahTeamsId")
    incomplete = load("personal")
    del incomplete["serviceUrl"]
    assert reference_of(incomplete) is None and member_of(incomplete) is None


def test_a_card_submission_is_not_read_as_words() -> None:
    activity = load("personal")
    activity.update(text="", value={"revans_action": "agree"})
    assert translate_message(activity, VERBS) is None


def test_a_form_submit_in_a_1to1_names_its_action_origin_and_values() -> None:
    activity = load("personal")
    origin = "teams:19:ward@thread.tacv2"
    value = {"revans_form": "challenge", "revans_place": origin, "text": "PLANTED", "n": 3}
    activity.update(text="", value=value)
    submitted = translate_form_submit(activity)
    assert isinstance(submitted, InboundForm)
    assert (submitted.action, submitted.origin) == ("challenge", origin)
    assert submitted.values == {"text": "PLANTED"}  # strings only, the card's keys are not values
    assert submitted.actor.user_id == "teams:" + activity["from"]["aadObjectId"]


@pytest.mark.parametrize(
    "change",
    [
        {"value": {"revans_action": "agree", "value": "s1"}},  # a button, not a form
        {"value": {"revans_form": "goal"}, "text": "goal"},  # words win
        {"value": "not a mapping"},
        {"value": None},
    ],
)
def test_what_is_not_a_form_submit(change: dict[str, Any]) -> None:
    activity = load("personal")
    activity.update({"text": "", **change})
    assert translate_form_submit(activity) is None


def test_a_form_submit_outside_a_1to1_or_for_a_foreign_place_is_not_trusted() -> None:
    channel = load("channel_mention")
    channel.update(text="", value={"revans_form": "goal", "revans_place": "teams:19:x"})
    assert translate_form_submit(channel) is None, "forms are only sent to 1:1 chats"
    personal = load("personal")
    personal.update(text="", value={"revans_form": "goal", "revans_place": "slack:T1:C2"})
    submitted = translate_form_submit(personal)
    assert submitted is not None and submitted.origin is None


def test_the_inbox_key_is_the_conversation_and_activity_ids() -> None:
    activity = load("channel_mention")
    key = inbox_key(activity)
    assert key == f"activity:{activity['conversation']['id']}:{activity['id']}"
    long = {**activity, "conversation": {"id": "19:" + "x" * 300}}
    digest = inbox_key(long)
    assert digest is not None and len(digest) <= 255 and digest.startswith("activity#")
    assert inbox_key({**activity, "id": None}) is None
    for kind in ("messageUpdate", "messageDelete", "conversationUpdate"):
        assert inbox_key({**activity, "type": kind}) is None, "their ids are not unique"


def test_mentions_without_aad_object_id_resolve_through_known_members() -> None:
    activity = load("channel_mention")
    del activity["entities"][1]["mentioned"]["aadObjectId"]
    assert unresolved_mentions(activity) == ["29:1amaraTeamsId"]
    assert neutralise_text(activity).endswith("add <@teams:29:1amaraTeamsId> as member")
    known = {"29:1amaraTeamsId": "teams:9c1d-amara"}
    assert neutralise_text(activity, known) == "add <@teams:9c1d-amara> as member"


def test_typed_text_can_never_pass_for_a_mention() -> None:
    """Teams sends a typed `<` as `&lt;`: decoded, `<@teams:someone>` would be a mention
    of whoever the writer named, without Teams having resolved anyone."""
    activity = load("channel_mention")
    activity["text"] = "<at>Revans</at> add &lt;@teams:victim&gt; and &lt;@teams:other>"
    text = neutralise_text(activity)
    assert "<@teams:" not in text
    assert text == "add &lt;@teams:victim> and &lt;@teams:other>"


def test_a_typed_angle_bracket_cannot_join_a_removed_bot_mention_into_a_mention() -> None:
    activity = load("channel_mention")
    activity["text"] = "<at>Revans</at> add &lt;<at>Revans</at>@teams:victim&gt; &#0;x"
    assert "<@teams:victim>" not in neutralise_text(activity)


def test_two_people_with_one_name_are_two_mentions_in_order() -> None:
    """Teams marks both up as `<at>Sam</at>`; its entities come in the text's order."""
    activity = load("channel_mention")
    bot = activity["entities"][0]
    activity["text"] = "<at>Revans</at> add <at>Sam</at> and <at>Sam</at>"
    activity["entities"] = [
        bot,
        *(
            {
                "type": "mention",
                "text": "<at>Sam</at>",
                "mentioned": {"id": f"29:{n}", "aadObjectId": f"s{n}"},
            }
            for n in (1, 2)
        ),
    ]
    assert neutralise_text(activity) == "add <@teams:s1> and <@teams:s2>"


def test_only_known_client_time_zones_are_taken_from_an_activity() -> None:
    from adapters.teams.translate import actor_of

    def zone(value: object) -> str | None:
        return actor_of({"from": {"id": "29:1", "name": "Ann"}, "localTimezone": value}).platform_tz

    assert zone("Europe/London") == "Europe/London"
    assert zone("Mars/Olympus_Mons") is None
    assert zone("x" * 300) is None
    assert zone(42) is None


def test_revans_added_is_keyed_by_its_place_so_both_announcements_share_one_key() -> None:
    activity = load("channel_mention")
    bot = activity["recipient"]
    update = {**activity, "type": "conversationUpdate", "membersAdded": [{"id": bot["id"]}]}
    install = {**activity, "type": "installationUpdate", "action": "add", "id": "other"}
    place = place_id_of(activity["conversation"]["id"])
    assert inbox_key(update) == inbox_key(install) == f"welcome:{place}"
    added = translate_added(install)
    assert added is not None and added.place.id == place and added.bot_name == bot["name"]
    someone = {**update, "membersAdded": [{"id": "29:someone"}]}
    for other in (someone, {**install, "action": "remove"}, {**install, "action": "add-upgrade"}):
        assert inbox_key(other) is None and translate_added(other) is None


def test_revans_removed_by_either_announcement_and_not_when_someone_else_leaves() -> None:
    activity = load("channel_mention")
    bot = activity["recipient"]
    update = {**activity, "type": "conversationUpdate", "membersRemoved": [{"id": bot["id"]}]}
    uninstall = {**activity, "type": "installationUpdate", "action": "remove"}
    assert revans_removed(update) and revans_removed(uninstall)
    assert inbox_key(update) is None and inbox_key(uninstall) is None  # no welcome key
    someone = {**update, "membersRemoved": [{"id": "29:someone"}]}
    install = {**uninstall, "action": "add"}
    for other in (someone, install, activity):
        assert not revans_removed(other)

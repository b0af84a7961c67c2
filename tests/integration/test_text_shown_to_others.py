"""Text people wrote, shown to others: mentions inside it are real mentions on each platform,
a typed `<@…>` is escaped once, and invisible bidi controls never reach a post."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.slack import blocks
from adapters.slack.translate import neutralise_mentions as slack_inbound
from adapters.teams import cards
from adapters.teams.translate import neutralise_text as teams_inbound
from bot.context import Context
from bot.dispatch import Core, handle_command, handle_form
from bot.messages import Mention, Message, Moment, Section, Text, mention_token
from bot.model import Actor
from bot.plain import render_message
from tests.fakes import FakeClock, MemoryStore
from tests.unit.talk import ROOM, ctx_for, public_in, say, texts, uid

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ANN = "slack:T1:U0ANN"


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def core(store: MemoryStore) -> Core:
    return Core(uow=store, clock=FakeClock())


def names(user_id: str) -> str:
    return {ANN: "Ann", "teams:aad-bo": "Bo"}.get(user_id, user_id)


def test_a_mention_inside_free_text_is_a_slack_mention() -> None:
    agreement = f"Ask {mention_token(ANN)} before sharing."  # as stored from `agreement …`
    rendered = blocks.render_text(Text.of(agreement))
    assert rendered == "Ask <@U0ANN> before sharing."


def test_a_mention_inside_free_text_is_a_teams_mention_with_its_entity() -> None:
    text = f"Ask {mention_token('teams:aad-bo')} first."
    activity = cards.render_activity(Message.text(text), name_of=names)
    assert activity["text"] == "Ask <at>Bo</at> first."
    (entity,) = activity["entities"]
    assert entity["mentioned"] == {"id": "aad-bo", "name": "Bo"}
    card = cards.render_activity(
        Message.text(text, Moment(datetime(2026, 12, 1, tzinfo=UTC))), name_of=names
    )
    content = card["attachments"][0]["content"]
    assert "Ask <at>Bo</at> first." in content["body"][0]["text"]
    assert content["msteams"]["entities"][0]["mentioned"]["id"] == "aad-bo"


def test_a_mention_inside_free_text_is_a_name_in_plain_text() -> None:
    message = Message.text(f"Thanks, {mention_token(ANN)}!")
    assert render_message(message, name_of=names) == "Thanks, @Ann!"


def test_a_typed_slack_mention_is_escaped_once() -> None:
    typed = slack_inbound("I typed &lt;@U0ANN&gt; and &lt;b&gt; &amp; more", "T1")
    assert "<@" not in typed  # never a mention token
    rendered = blocks.render_text(Text.of(typed))
    assert rendered == "I typed &lt;@U0ANN&gt; and &lt;b&gt; &amp; more"  # as Slack sent it


def test_a_typed_teams_mention_is_shown_as_typed() -> None:
    activity = {"text": "I typed &lt;@bo&gt;", "recipient": {"id": "28:bot"}}
    typed = teams_inbound(activity)
    assert "<@" not in typed
    card = cards.card_for(
        Message((Section(Text.of(typed), (("when", Text.of("now")),)),)), cards._Mentions(names)
    )
    # a card shows text, not HTML: escaped as markdown, the reader sees `<@bo>`
    assert card["body"][0]["text"] == "I typed \\<@bo\\>"
    assert render_message(Message.text(typed), name_of=names) == "I typed <@bo>"


@pytest.mark.parametrize("control", list(BIDI))
def test_bidi_controls_never_reach_a_rendering(control: str) -> None:
    message = Message(
        (Section(Text.of(f"Set {control}emaN", Mention(ANN)), (("by", Text.of(control)),)),)
    )
    outputs = [
        str(blocks.message_payload(message)),
        str(cards.render_activity(message, name_of=lambda _: f"A{control}nn")),
        render_message(message, name_of=lambda _: f"A{control}nn"),
    ]
    assert not any(control in output for output in outputs)


async def test_a_set_name_cannot_be_made_to_read_backwards(core: Core, store: MemoryStore) -> None:
    outcome = await say(core, "fay", "create \u202eWard\u2066 leaders")
    (announcement,) = public_in(outcome)
    assert "“Ward leaders”" in announcement
    (learning_set,) = store.committed.sets.values()
    assert learning_set.name == "Ward leaders"


async def test_display_names_are_kept_without_bidi_controls(core: Core, store: MemoryStore) -> None:
    ctx = Context(ROOM, Actor(uid("eve"), "\u202eEve\u200f"), command_prefix="/set ")
    await handle_command(core, ctx, "create Ward")
    assert store.committed.people[uid("eve")].display_name == "Eve"


async def test_an_agreement_mentioning_someone_shows_them(core: Core) -> None:
    await say(core, "fay", "create Ward leaders")
    await say(core, "fay", f"agreement Ask {mention_token(uid('fay'))} before sharing")
    shown = texts(await say(core, "ann", "join"))
    assert any("Ask @fay before sharing" in t for t in shown), shown
    assert not any("<@" in t for t in shown)


async def test_a_form_cannot_forge_a_mention(core: Core, store: MemoryStore) -> None:
    await say(core, "fay", "create Ward leaders")
    forged = f"Ask {mention_token(uid('ann'))} \u202eplease"
    await handle_form(core, ctx_for("fay"), "challenge", {"text": forged})
    (statement,) = store.committed.statements
    assert statement.text == "Ask &lt;@test:ann> please"
    assert render_message(Message.text(statement.text), name_of=names) == "Ask <@test:ann> please"

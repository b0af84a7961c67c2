"""Teams replies: a failed command gets the shared apology, and a form opened in answer
to an interaction carries that interaction's place (Teams needs no trigger)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from adapters.apology import APOLOGY_TEXT
from adapters.background import BackgroundTasks
from adapters.outbox_sender import OutboxSender
from adapters.teams.bot import DEFERRED, Reply, RevansTeamsBot
from adapters.teams.gateway import TeamsGateway
from bot.context import Context
from bot.messages import Form, FormField, OpenForm, Outcome, Private
from bot.model import Actor, Place, PlaceKind
from bot.plain import render_message
from tests.confidential import PLANTED
from tests.fakes import FakeClock
from tests.senders import no_gateway

PLACE = Place("teams:19:ward@thread.tacv2", PlaceKind.CHANNEL, "teams")
ANN = Actor("teams:29:ann", "Ann")
FORM = Form("goal.save", "Goal", (FormField("text", "Goal"),))


class FormsOnly(TeamsGateway):
    """Records the forms it is asked to open, and where they belong."""

    def __init__(self) -> None:  # no connector, references or store: forms only
        self.opened: list[tuple[str | None, str, Form]] = []

    async def open_form_for(self, origin: str | None, user_id: str, form: Form) -> None:
        self.opened.append((origin, user_id, form))


class UnusedStore:
    """Outcomes here are never queued (no receipt), so nothing is marked sent."""

    async def mark_sent(self, ids: list[str], now: object) -> None:
        assert not ids


SENDER = OutboxSender(UnusedStore(), no_gateway, FakeClock().now)  # type: ignore[arg-type]


def bot_with(gateway: TeamsGateway, tasks: BackgroundTasks) -> RevansTeamsBot:
    return RevansTeamsBot(None, gateway, None, tasks, (), SENDER)  # type: ignore[arg-type]


async def test_a_failed_command_is_answered_with_the_shared_apology_in_its_place() -> None:
    bot = bot_with(FormsOnly(), BackgroundTasks("teams"))
    turn: Any = SimpleNamespace(turn_state={DEFERRED: []})

    async def failing() -> Outcome:
        raise RuntimeError(PLANTED)

    await bot.run(turn, Context(PLACE, ANN), failing())
    (reply,) = turn.turn_state[DEFERRED]
    (sorry,) = reply.outcome.messages
    assert sorry.to == Private(ANN.user_id, PLACE.id) and sorry.message.kind == "error"
    assert render_message(sorry.message, name_of=str) == APOLOGY_TEXT
    assert reply.origin == PLACE.id


async def test_a_form_in_answer_to_an_interaction_belongs_to_its_place() -> None:
    gateway, tasks = FormsOnly(), BackgroundTasks("teams")
    bot = bot_with(gateway, tasks)
    asked = Outcome(forms=(OpenForm(ANN.user_id, FORM, None),))  # a Teams context: no trigger
    bot.spawn_delivery(Reply(asked, origin=PLACE.id))
    bot.spawn_delivery(Reply(asked))  # e.g. due work: no interaction, no place
    await tasks.close()
    assert gateway.opened == [(PLACE.id, ANN.user_id, FORM), (None, ANN.user_id, FORM)]

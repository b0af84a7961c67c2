"""The commit phase's button: the presenter alone opens the `commit` form from the phase's
post, and its answer becomes their action, linked to the round."""

from __future__ import annotations

from bot.context import Context
from bot.dispatch import Core, handle_form, handle_press
from bot.messages import Buttons, Outcome
from bot.model import Actor, Place, PlaceKind
from bot.presses import Press
from bot.usecases.round_prompts import COMMIT_PRESS
from tests.fakes import MemoryStore
from tests.unit.rounds_harness import a_set, the_round
from tests.unit.talk import is_error, say, uid

ROOM = Place("test:room", PlaceKind.CHANNEL, "test")


def in_room(name: str) -> Context:
    return Context(ROOM, Actor(uid(name), name), trigger="trig")


def commit_button(outcome: Outcome) -> Press:
    (press,) = [
        Press(b.action, b.value)
        for o in outcome.messages
        for blk in o.message.blocks
        if isinstance(blk, Buttons)
        for b in blk.buttons
        if b.action == COMMIT_PRESS
    ]
    return press


async def test_the_presenter_commits_by_the_phase_buttons_form(
    core: Core, store: MemoryStore
) -> None:
    await a_set(core, "ann", "ben")
    assert not is_error(await say(core, "fay", "round start <@test:ann> live 40m"))
    for _ in range(2):
        await say(core, "fay", "round next")
    committing = await say(core, "fay", "round next")
    press = commit_button(committing)
    refused = await handle_press(core, in_room("ben"), press)
    assert is_error(refused) and not refused.forms
    opened = await handle_press(core, in_room("ann"), press)
    (form,) = opened.forms
    assert form.form.action == "commit" and form.trigger == "trig"
    await handle_form(
        core, in_room("ann"), "commit", {"text": "sit in on a handover by 2027-01-08"}
    )
    (action,) = store.committed.actions.values()
    assert action.owner_id == uid("ann") and action.text == "sit in on a handover"
    assert action.round_id == the_round(store).id and action.due_at is not None
    empty = await handle_form(core, in_room("ann"), "commit", {"text": "  "})
    assert is_error(empty) and len(store.committed.actions) == 1

"""Report-back at a meeting's check-in: a private message per member with buttons and
forms, typed answers, "learning inaction", and the facilitator's counts with small
groups left out."""

from __future__ import annotations

from bot.context import Context
from bot.dispatch import Core, handle_form, handle_press
from bot.messages import Buttons, Direct, Message, Outcome, Outgoing, Update
from bot.model import Actor, Place, PlaceKind
from bot.model.report_back import HeldBack, ReportOutcome
from bot.plain import render_message
from bot.presses import Press
from bot.usecases.report_back import ANSWER, HELD, HELD_NOTE, OUTCOME
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore
from tests.unit.rounds_harness import a_set
from tests.unit.talk import is_error, private_to, public_in, say, uid

ROOM = Place("test:room", PlaceKind.CHANNEL, "test")


def dm(name: str) -> Place:
    return Place(f"test:dm-{name}", PlaceKind.PERSONAL, "test")


def presser(name: str) -> Context:
    return Context(dm(name), Actor(uid(name), name), trigger="trig")


def plain(message: Message) -> str:
    return render_message(message, name_of=lambda u: u.removeprefix("test:"))


def buttons(message: Message) -> list[tuple[str, str, str]]:
    return [
        (b.label, b.action, b.value)
        for blk in message.blocks
        if isinstance(blk, Buttons)
        for b in blk.buttons
    ]


def direct_to(outcome: Outcome, name: str) -> list[Outgoing]:
    return [o for o in outcome.messages if isinstance(o.to, Direct) and o.to.user_id == uid(name)]


def press(message: Message, label: str, action: str = OUTCOME, *, n: int = 0) -> Press:
    values = [v for lab, a, v in buttons(message) if lab == label and a == action]
    return Press(action, values[n])


def updated(outcome: Outcome) -> Outgoing:
    (update,) = [o for o in outcome.messages if isinstance(o.to, Update)]
    return update


async def opened(core: Core, clock: FakeClock) -> Outcome:
    """ann commits two actions, ben one, cho none; a meeting opens a day later."""
    await a_set(core, "ann", "ben", "cho", name=f"Ward {PLANTED}")
    for name, text in [("ann", "call the rota team"), ("ann", "ask Jo"), ("ben", "audit beds")]:
        assert not is_error(await say(core, name, f"commit {text} {PLANTED}"))
    clock.advance(days=1)
    outcome = await say(core, "fay", "meeting start")
    assert not is_error(outcome)
    return outcome


async def test_the_meeting_sends_each_member_one_private_message_with_three_buttons(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    outcome = await opened(core, clock)
    (to_ann,) = direct_to(outcome, "ann")
    (to_ben,) = direct_to(outcome, "ben")
    assert not direct_to(outcome, "cho") and not direct_to(outcome, "fay")
    assert f"Action 1: call the rota team {PLANTED}" in plain(to_ann.message)
    assert f"Action 2: ask Jo {PLANTED}" in plain(to_ann.message)
    assert "audit beds" not in plain(to_ann.message)
    assert [(lab, a) for lab, a, _ in buttons(to_ann.message)] == [
        ("Done", OUTCOME),
        ("Partly", OUTCOME),
        ("Not done", OUTCOME),
    ] * 2
    assert all(PLANTED not in v for _, _, v in buttons(to_ann.message))
    assert to_ann.remember and to_ann.remember != to_ben.remember
    assert "private message" in " ".join(public_in(outcome, ROOM))


async def test_a_button_opens_a_form_whose_answer_is_stored_privately_and_updates_the_message(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    (to_ann, *_) = direct_to(await opened(core, clock), "ann")
    opened_form = await handle_press(core, presser("ann"), press(to_ann.message, "Partly"))
    (form,) = opened_form.forms
    assert [f.name for f in form.form.fields] == ["happened", "learned"]
    assert form.trigger == "trig" and form.user_id == uid("ann")
    values = {"happened": f"met them {PLANTED}", "learned": "rotas are politics"}
    outcome = await handle_form(core, presser("ann"), form.form.action, values)
    (report,) = store.committed.report_backs.values()
    assert report.outcome is ReportOutcome.PARTLY and report.member_id == uid("ann")
    assert report.happened == f"met them {PLANTED}" and report.learned == "rotas are politics"
    update = updated(outcome)
    assert isinstance(update.to, Update) and update.to.remembered == to_ann.remember
    assert update.to.place_id == dm("ann").id
    assert "your answer: Partly" in plain(update.message)
    assert not public_in(outcome, ROOM)  # nothing of it in the set's channel
    action = next(a for a in store.committed.actions.values() if a.number == 1)
    assert action.is_open  # partly: still open


async def test_done_closes_the_action_and_answering_again_replaces(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    (to_ann, *_) = direct_to(await opened(core, clock), "ann")
    for label in ("Partly", "Done"):
        form = (await handle_press(core, presser("ann"), press(to_ann.message, label))).forms[0]
        await handle_form(core, presser("ann"), form.form.action, {"happened": label})
    (report,) = store.committed.report_backs.values()
    assert report.outcome is ReportOutcome.DONE and report.happened == "Done"
    action = next(a for a in store.committed.actions.values() if a.number == 1)
    assert action.status == "done"


async def test_not_done_asks_what_held_them_back_and_keeps_their_words(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    (to_ann, *_) = direct_to(await opened(core, clock), "ann")
    form = (await handle_press(core, presser("ann"), press(to_ann.message, "Not done"))).forms[0]
    outcome = await handle_form(core, presser("ann"), form.form.action, {})
    assert "What held you back?" in " ".join(private_to(outcome, "ann"))
    message = updated(outcome).message
    labels = [lab for lab, a, _ in buttons(message) if a == HELD]
    assert labels == [
        "Time",
        "Authority",
        "Organisational politics",
        "Risk or fear",
        "Priorities changed",
        "Other",
    ]
    pressed = await handle_press(
        core, presser("ann"), press(message, "Organisational politics", HELD)
    )
    (report,) = store.committed.report_backs.values()
    assert report.held_back is HeldBack.POLITICS and report.outcome is ReportOutcome.NOT_DONE
    (note_form,) = pressed.forms
    assert note_form.form.action.startswith(f"press|{HELD_NOTE}|")
    await handle_form(core, presser("ann"), note_form.form.action, {"note": "the board sat on it"})
    (report,) = store.committed.report_backs.values()
    assert report.held_back_note == "the board sat on it"
    assert next(a for a in store.committed.actions.values() if a.number == 1).is_open


async def test_only_the_owner_may_answer(core: Core, store: MemoryStore, clock: FakeClock) -> None:
    (to_ann, *_) = direct_to(await opened(core, clock), "ann")
    refused = await handle_press(core, presser("ben"), press(to_ann.message, "Done"))
    assert is_error(refused) and not refused.forms
    action = Press(ANSWER, press(to_ann.message, "Done").value, {"happened": "x"})
    forged = await handle_press(core, presser("ben"), action)
    assert is_error(forged)
    assert not store.committed.report_backs


async def test_typed_report_back_and_bad_input_change_nothing(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await opened(core, clock)
    said = await say(core, "ben", "report 3 not done the audit came first")
    assert "What held you back?" in " ".join(private_to(said, "ben"))
    assert not public_in(said, ROOM)
    await say(core, "ben", "report 3 held time a winter surge")
    (report,) = store.committed.report_backs.values()
    assert (report.outcome, report.happened) == (ReportOutcome.NOT_DONE, "the audit came first")
    assert (report.held_back, report.held_back_note) == (HeldBack.TIME, "a winter surge")
    for wrong in ("report 1 done", "report 9 done", "report 3 fine"):
        assert is_error(await say(core, "ben", wrong))
    assert len(store.committed.report_backs) == 1
    assert all(a.is_open for a in store.committed.actions.values())


async def test_the_facilitator_sees_counts_with_groups_under_three_left_out(
    core: Core, store: MemoryStore, clock: FakeClock
) -> None:
    await a_set(core, "ann", "ben", "cho", "dev")
    for name in ("ann", "ben", "cho", "dev"):
        await say(core, name, f"commit step one {PLANTED}")
    clock.advance(days=1)
    await say(core, "fay", "meeting start")
    await say(core, "ann", "report 1 not done")
    await say(core, "ann", "report 1 held time")
    await say(core, "ben", "report 2 not done")
    await say(core, "ben", "report 2 held time")
    await say(core, "cho", "report 3 not done")
    await say(core, "cho", "report 3 held time")
    await say(core, "dev", "report 4 done")
    report = " ".join(private_to(await say(core, "fay", "report"), "fay"))
    answers = report.split("report-backs:")[1].split("what held")[0]
    assert answers.strip() == "not done 3 · 1 in groups under three (not shown)"
    assert "what held people back: time 3" in report
    assert PLANTED not in report
    assert is_error(await say(core, "ann", "report"))  # facilitators only

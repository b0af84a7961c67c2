"""The authorisation matrix, generated from the verb records' rules: every command ×
every standing × own set / another set, through the real dispatcher."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import Iterator

import pytest

from bot import commands as c
from bot import grammar
from bot.catalogue import VERBS
from bot.dispatch import Core
from bot.messages import Outcome
from bot.model import Place
from bot.permissions import Rule, Standing, denial
from bot.verbs import Registry
from tests.fakes import FakeClock, MemoryData, MemoryStore
from tests.unit.talk import OTHER_ROOM, ROOM, private_to, say

SPEAKERS = {
    Standing.FACILITATOR: "fay",
    Standing.MEMBER: "ann",
    Standing.PENDING: "pat",
    Standing.GUEST: "gil",
    Standing.SPONSOR: "spo",
    Standing.OUTSIDER: "zed",
}

SAMPLES: dict[type, str] = {
    c.Help: "help",
    c.CreateSet: "create New set",
    c.JoinSet: "join",
    c.LeaveSet: "leave",
    c.ListMembers: "members",
    c.Agree: "agree",
    c.ShowAgreement: "agreement",
    c.SetAgreement: "agreement Be kind.",
    c.AddMembers: "add <@test:newbie>",
    c.RemoveMember: "remove <@test:ann>",
    c.InviteGuest: "invite <@test:visitor>",
    c.LinkSponsor: "sponsor <@test:boss>",
    c.UnlinkSponsor: "sponsor none",
    c.DeclineSponsorship: "sponsor decline",
    c.SetChallenge: "challenge A new challenge",
    c.SetGoal: "goal A new goal",
    c.ListSchedule: "schedule",
    c.ScheduleOnce: "schedule 2026-12-17 14:00",
    c.ScheduleSeries: "schedule every 2 weeks on Tuesday at 14:00",
    c.CancelMeeting: "schedule cancel 1",
    c.Bid: "bid 20m",
    c.Settings: "settings nudges off",
    c.Options: "options coaching off",
    c.ShowOptions: "options",
    c.CloseSet: "close",
    c.MeetingStart: "meeting start",
    c.MeetingEnd: "meeting end",
    c.RoundStart: "round start",
    c.RoundSteer: "round next",
    c.RoundExtend: "round extend 5m",
    c.RoundStatus: "round status",
    c.CommitAction: "commit call Jo",
    c.ListActions: "actions",
    c.MarkDone: "done 1",
    c.NoteProgress: "progress 1 met them",
    c.DropAction: "drop 1",
    c.ShareAction: "share 1",
    c.ShareMeeting: "share meeting",
    c.Report: "report",
    c.ReportOn: "report 1 partly",
    c.ReportHeldBack: "report 1 held time",
    c.LogEntry: "log a thought",
    c.FishbowlNote: "note a thought",
    c.LogExport: "log export",
    c.CheckinAnswer: "checkin steps asked Jo",
    c.ShowCheckin: "checkin",
    c.MyData: "mydata export",
}


RULES: dict[type[c.Command], Rule] = {kind: route.rule for kind, route in VERBS.routes.items()}


def parse(text: str) -> c.Command:
    return grammar.parse(VERBS, text)


async def _build() -> MemoryData:
    store = MemoryStore()
    core = Core(uow=store, clock=FakeClock())
    script = [
        ("fay", "create Ward leaders", ROOM),
        ("ann", "join", ROOM),
        ("ann", "agree", ROOM),
        ("pat", "join", ROOM),
        ("fay", "schedule 2026-12-10 14:00", ROOM),
        ("fay", "invite <@test:gil>", ROOM),
        ("ann", "sponsor <@test:spo>", ROOM),
        ("oli", "create Another set", OTHER_ROOM),
    ]
    for name, text, place in script:
        outcome = await say(core, name, text, place=place)
        assert not any(o.message.kind == "error" for o in outcome.messages), (name, text)
    return store.committed


@pytest.fixture(scope="module")
def template() -> MemoryData:
    return asyncio.run(_build())


def cases() -> Iterator[tuple[type, Standing, str]]:
    for kind in RULES:
        for standing in Standing:
            for where in ("own set", "other set"):
                yield kind, standing, where


def test_every_command_has_a_rule_a_handler_and_a_sample() -> None:
    kinds = {k for k in vars(c).values() if isinstance(k, type) and issubclass(k, c.Command)} - {
        c.Command
    }
    assert kinds == set(VERBS.routes) == set(SAMPLES)
    for kind, text in SAMPLES.items():
        assert type(parse(text)) is kind


def run(template: MemoryData, name: str, text: str, place: Place) -> tuple[Outcome, MemoryStore]:
    store = MemoryStore()
    store.committed = copy.deepcopy(template)
    outcome = asyncio.run(say(Core(uow=store, clock=FakeClock()), name, text, place=place))
    return outcome, store


@pytest.mark.parametrize(
    ("kind", "standing", "where"),
    list(cases()),
    ids=[f"{k.__name__}-{s.name}-{w}" for k, s, w in cases()],
)
def test_matrix(template: MemoryData, kind: type, standing: Standing, where: str) -> None:
    rule = RULES[kind]
    place = ROOM if where == "own set" else OTHER_ROOM
    speaking_as = standing if where == "own set" else Standing.OUTSIDER
    name = SPEAKERS[standing]
    outcome, store = run(template, name, SAMPLES[kind], place)
    refusal = denial(speaking_as).message
    denied = any(refusal in text for text in private_to(outcome, name))
    expected_denied = rule.needs_set and speaking_as not in rule.allowed
    assert denied == expected_denied, private_to(outcome, name)
    if denied:
        assert store.committed == template  # a refusal changes nothing
        assert store.commits == 0


@pytest.mark.parametrize(
    "kind", [k for k, r in RULES.items() if r.changes_set], ids=lambda k: k.__name__
)
def test_a_closed_set_refuses_every_change(template: MemoryData, kind: type) -> None:
    closed = copy.deepcopy(template)
    for learning_set in closed.sets.values():
        if learning_set.place_id == ROOM.id:
            learning_set.status = learning_set.status.CLOSED
    outcome, store = run(closed, "fay", SAMPLES[kind], ROOM)
    assert any("This set is closed" in t for t in private_to(outcome, "fay"))
    assert store.committed == closed


@pytest.mark.parametrize("text", ["members", "schedule", "agreement", "options", "leave"])
def test_a_closed_set_can_still_be_read(template: MemoryData, text: str) -> None:
    closed = copy.deepcopy(template)
    for learning_set in closed.sets.values():
        learning_set.status = learning_set.status.CLOSED
    outcome, _ = (
        run(closed, "ann", text, ROOM) if text == "leave" else run(closed, "fay", text, ROOM)
    )
    assert not any(o.message.kind == "error" for o in outcome.messages)


async def test_a_command_without_a_route_is_refused_not_allowed() -> None:
    """Fail closed: a command form no verb routes (so it has no rule) runs for nobody."""
    agreement = VERBS.verb("agreement")
    assert agreement is not None
    reads_only = dataclasses.replace(
        agreement, routes=tuple(r for r in agreement.routes if r.command is not c.SetAgreement)
    )
    verbs = Registry(reads_only if v is agreement else v for v in VERBS)
    store = MemoryStore()
    core = Core(uow=store, clock=FakeClock(), verbs=verbs)
    await say(core, "fay", "create Ward leaders")
    before = copy.deepcopy(store.committed)
    with pytest.raises(LookupError):
        await say(core, "zed", "agreement Anyone may change this")
    assert store.committed.set_options == before.set_options

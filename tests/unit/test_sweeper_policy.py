"""The sweeper's retry, back-off, rate-limit and parking rules, against an in-memory
`DueWorkClaims` and a fake clock: no database, no sleeping.

The work is a real agreement reminder (queued by `join`, run by the core's handler),
so only the store and the platform are fakes.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.dispatch import Core
from bot.duework import DueWork
from bot.errors import DeliveryError, RateLimited, UserError
from bot.messages import Message
from bot.ports import ChatGateway, GatewayResolver, NoGateway
from bot.usecases.agreement_reminder import REMIND_AFTER
from scheduler.sweeper import MIN_DEFER_SECONDS, RetryPolicy, Sweeper
from tests.confidential import PLANTED
from tests.fakes import FakeClock, MemoryStore, RecordingGateway
from tests.fakes.due_work_claims import MemoryDueWorkClaims
from tests.unit.talk import is_error, say, uid

POLICY = RetryPolicy(
    lease=timedelta(minutes=5),
    batch=10,
    max_attempts=4,
    first_backoff=timedelta(seconds=30),
    max_backoff=timedelta(minutes=2),
)


class ScriptedGateway(RecordingGateway):
    """Direct messages fail with the scripted errors, in order, then get through."""

    def __init__(self, *failures: Exception) -> None:
        super().__init__()
        self.failures = list(failures)
        self.tries = 0

    async def direct(self, user_id: str, message: Message) -> str:
        self.tries += 1
        if self.failures:
            raise self.failures.pop(0)
        return await super().direct(user_id, message)


def serving(served: str, gateway: ChatGateway) -> GatewayResolver:
    """Routes ids of the `served` platform to `gateway`; any other platform has none."""

    def resolve(some_id: str) -> ChatGateway:
        platform = some_id.split(":", 1)[0]
        if platform != served:
            raise NoGateway(platform)
        return gateway

    return resolve


@pytest.fixture
def claims() -> MemoryDueWorkClaims:
    return MemoryDueWorkClaims()


async def reminder_due(core: Core, store: MemoryStore, clock: FakeClock, *names: str) -> None:
    """fay's set; each of `names` joins; their reminders are queued and now due."""
    assert not is_error(await say(core, "fay", f"create Ward {PLANTED}"))
    for name in names:
        assert not is_error(await say(core, name, "join"))
    clock.advance(seconds=REMIND_AFTER.total_seconds())


def queue_all(store: MemoryStore, claims: MemoryDueWorkClaims) -> list[DueWork]:
    items = sorted(store.committed.due_work.values(), key=lambda i: i.due_at)
    for item in items:
        claims.queue(item)
    return items


def sweeper(
    claims: MemoryDueWorkClaims, core: Core, gateway: ChatGateway, platform: str = "test"
) -> Sweeper:
    return Sweeper(claims, core, serving(platform, gateway), POLICY, owner="w1")


def test_backoff_doubles_from_the_first_wait_up_to_the_cap() -> None:
    waits = [POLICY.backoff(n).total_seconds() for n in range(1, 6)]
    assert waits == [30, 60, 120, 120, 120]
    assert RetryPolicy().backoff(0) == RetryPolicy().first_backoff


async def test_a_failing_send_is_retried_after_each_backoff_then_parked(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    await reminder_due(core, store, clock, "ann")
    (item,) = queue_all(store, claims)
    gateway = ScriptedGateway(*(DeliveryError("channel_not_found") for _ in range(9)))
    sweep = sweeper(claims, core, gateway)
    for attempt in range(1, POLICY.max_attempts):
        assert (await sweep.sweep_once()).retried == 1
        row = claims.row(item.key)
        wait = POLICY.backoff(attempt)
        assert (row.state, row.attempts) == ("pending", attempt)
        assert row.run_at == clock.now() + wait
        assert row.last_error == "DeliveryError: channel_not_found"
        clock.advance(seconds=wait.total_seconds() - 1)
        assert (await sweep.sweep_once()).handled == 0, "not before its back-off"
        clock.advance(seconds=1)
    report = await sweep.sweep_once()
    assert report.failed == 1 and report.retried == 0
    row = claims.row(item.key)
    assert (row.state, row.attempts, row.lease_owner) == ("failed", POLICY.max_attempts, None)
    clock.advance(days=30)
    assert (await sweep.sweep_once()).handled == 0, "parked work is not retried"
    assert gateway.tries == POLICY.max_attempts and gateway.sent == []


async def test_rate_limits_requeue_for_retry_after_and_never_count_as_failures(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    await reminder_due(core, store, clock, "ann")
    (item,) = queue_all(store, claims)
    limits = 3 * POLICY.max_attempts  # far more than the failures that would park it
    gateway = ScriptedGateway(*(RateLimited(retry_after=90) for _ in range(limits)))
    sweep = sweeper(claims, core, gateway)
    for deferral in range(1, limits + 1):
        report = await sweep.sweep_once()
        assert (report.deferred, report.retried, report.failed) == (1, 0, 0)
        row = claims.row(item.key)
        assert (row.state, row.attempts, row.deferrals) == ("pending", 0, deferral)
        assert row.run_at == clock.now() + timedelta(seconds=90)
        clock.advance(seconds=89)
        assert (await sweep.sweep_once()).handled == 0, "not before Retry-After"
        clock.advance(seconds=1)
    assert (await sweep.sweep_once()).delivered == 1
    assert claims.row(item.key).state == "done"
    (sent,) = gateway.sent
    assert sent.user_id == uid("ann") and sent.message.key == item.key


async def test_a_retry_after_of_zero_waits_the_minimum_instead_of_spinning(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    await reminder_due(core, store, clock, "ann")
    (item,) = queue_all(store, claims)
    gateway = ScriptedGateway(RateLimited(retry_after=0), RateLimited(retry_after=0))
    sweep = sweeper(claims, core, gateway)
    report = await sweep.sweep_once()
    assert report.deferred == 1 and gateway.tries == 1, "one try per sweep, not a spin"
    assert claims.row(item.key).run_at == clock.now() + timedelta(seconds=MIN_DEFER_SECONDS)


async def test_work_no_gateway_serves_is_parked_on_its_first_attempt(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    await reminder_due(core, store, clock, "ann")
    (item,) = queue_all(store, claims)
    gateway = ScriptedGateway()
    only_slack = sweeper(claims, core, gateway, platform="slack")  # the member is on "test"
    assert (await only_slack.sweep_once()).failed == 1
    row = claims.row(item.key)
    assert (row.state, row.attempts) == ("failed", 1)
    assert row.last_error == "NoGateway: no gateway serves platform 'test'"
    assert gateway.tries == 0


async def test_a_user_error_is_parked_at_once_not_retried(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    await reminder_due(core, store, clock, "ann")
    (item,) = queue_all(store, claims)
    gateway = ScriptedGateway(UserError("no such channel"))
    assert (await sweeper(claims, core, gateway).sweep_once()).failed == 1
    assert claims.row(item.key).state == "failed" and gateway.tries == 1


async def test_stored_errors_carry_the_class_never_the_message_text(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    await reminder_due(core, store, clock, "ann")
    (item,) = queue_all(store, claims)
    gateway = ScriptedGateway(RuntimeError(f"while sending {PLANTED}"))
    assert (await sweeper(claims, core, gateway).sweep_once()).retried == 1
    assert claims.row(item.key).last_error == "RuntimeError"


async def test_finishing_after_the_lease_passed_on_warns_and_changes_nothing(
    core: Core,
    store: MemoryStore,
    clock: FakeClock,
    claims: MemoryDueWorkClaims,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await reminder_due(core, store, clock, "ann")
    (item,) = queue_all(store, claims)
    gateway = ScriptedGateway()
    original = gateway.direct

    async def slow_send(user_id: str, message: Message) -> str:
        claims.row(item.key).lease_owner = "w2"  # our lease ran out; another worker has it
        return await original(user_id, message)

    gateway.direct = slow_send  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="scheduler.sweeper"):
        assert (await sweeper(claims, core, gateway).sweep_once()).delivered == 1
    row = claims.row(item.key)
    assert (row.state, row.lease_owner) == ("claimed", "w2"), "the new owner's row is untouched"
    assert any("may be handled twice" in r.getMessage() for r in caplog.records)


async def test_a_stopping_sweeper_gives_back_the_rest_without_counting_attempts(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    await reminder_due(core, store, clock, "ann", "ben", "cy")
    queue_all(store, claims)
    gateway = ScriptedGateway()
    sweep = sweeper(claims, core, gateway)
    original = gateway.direct

    async def stop_after_first(user_id: str, message: Message) -> str:
        sweep.stopping = True
        return await original(user_id, message)

    gateway.direct = stop_after_first  # type: ignore[method-assign]
    report = await sweep.sweep_once()
    assert (report.delivered, report.released) == (1, 2)
    rows = sorted(claims.rows.values(), key=lambda r: r.state)
    assert [(r.state, r.attempts) for r in rows] == [("done", 1), ("pending", 0), ("pending", 0)]


async def test_a_precise_timer_says_when_to_fire_again_after_a_deferral(
    core: Core, store: MemoryStore, clock: FakeClock, claims: MemoryDueWorkClaims
) -> None:
    assert not is_error(await say(core, "fay", "create Ward"))
    assert not is_error(await say(core, "ann", "join"))
    (item,) = queue_all(store, claims)
    gateway = ScriptedGateway(RateLimited(retry_after=45))
    sweep = sweeper(claims, core, gateway)
    assert await sweep.fire(item.key) == item.due_at, "fired early: nothing claimed"
    assert gateway.tries == 0
    clock.advance(seconds=REMIND_AFTER.total_seconds())
    assert await sweep.fire(item.key) == clock.now() + timedelta(seconds=45)
    clock.advance(seconds=45)
    assert await sweep.fire(item.key) is None
    assert claims.row(item.key).state == "done" and len(gateway.sent) == 1

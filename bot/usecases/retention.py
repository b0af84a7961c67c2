"""Retention: forgetting, every day, what is kept no longer — as due work, not a job.

One recurring item (`retention.sweep`, keyed by its UTC date) runs daily at 03:00 UTC
and schedules the next day's before it finishes, in its own transaction; `revans
serve` makes sure one is queued when it starts (a no-op if it is). Each run:

- deletes every set closed more than `RETENTION` (90 days) ago, with everything it
  holds (meetings, rounds, contributions, actions, statements, its due work…);
- forgets due work finished (done, dropped or parked) more than `FINISHED_WORK` ago;
- forgets inbox rows received, and outbox rows sent or parked, more than `DELIVERIES`
  ago (ids only by then: content is cleared once handled or sent).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.duework import DueResult, DueWork, Send, WorkKind, work_key
from bot.messages import Outcome
from bot.model.sets import RETENTION
from bot.ports import UnitOfWork, UnitOfWorkFactory

KIND = "retention.sweep"
DAILY_AT = time(3, 0)
"""When the sweep runs, UTC: a quiet hour in most places' night."""
FINISHED_WORK = timedelta(days=30)
"""Finished due work is kept this long (operators can see what was sent or parked)."""
DELIVERIES = timedelta(days=1)
"""Inbox and sent outbox rows are kept this long: platform retries come within minutes."""


def sweep_on(day: datetime) -> DueWork:
    """The sweep of `day`'s date (UTC), at `DAILY_AT`."""
    date = day.astimezone(UTC).date()
    at = datetime.combine(date, DAILY_AT, tzinfo=UTC)
    return DueWork(kind=KIND, key=work_key(KIND, date.isoformat()), due_at=at)


def next_sweep(now: datetime) -> DueWork:
    """The first sweep after `now` (tomorrow's, or today's if its hour is still to come)."""
    today = sweep_on(now)
    return today if today.due_at > now else sweep_on(now + timedelta(days=1))


async def sweep(item: DueWork, *, uow: UnitOfWork, now: datetime) -> DueResult:
    """Forget what is due to be forgotten, then plan the next run. Safe to run again."""
    for set_id in await uow.retention.sets_closed_before(now - RETENTION):
        await uow.retention.delete_set(set_id)
    await uow.retention.purge_finished_work(now - FINISHED_WORK)
    await uow.retention.purge_deliveries(now - DELIVERIES)
    # From `now`, not from the item: after downtime the missed days are not run one by one.
    await uow.due_work.schedule(next_sweep(now))
    return Send(Outcome())


async def keep_sweeping(uow_factory: UnitOfWorkFactory, now: datetime) -> None:
    """At start-up: make sure a sweep is queued (today's, at once if its hour has passed
    and it has not run; a no-op when it is queued or done), which then reschedules itself."""
    async with uow_factory() as uow:
        await uow.due_work.schedule(sweep_on(now))
        await uow.commit()


WORK_KIND = WorkKind(KIND, sweep)
"""Never stale: a sweep found late (after downtime) still runs."""

"""Members' report-backs on their actions, on every store."""

from __future__ import annotations

from datetime import timedelta

from bot.model.report_back import HeldBack, ReportBack, ReportOutcome
from bot.ports import UnitOfWorkFactory
from tests.confidential import PLANTED
from tests.contract.test_actions import an_action, two_sets
from tests.records import T0


async def test_a_report_back_is_kept_and_answering_again_replaces_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    first = ReportBack(
        "s1", "s1-a1", "h1", "u2", ReportOutcome.NOT_DONE, T0, f"nothing {PLANTED}", None
    )
    async with uow_factory() as uow:
        await two_sets(uow)
        await uow.actions.add(an_action())
        await uow.actions.add(an_action(set_id="s2"))
        await uow.report_backs.save(first)
        await uow.commit()
    again = ReportBack(
        "s1",
        "s1-a1",
        "h1",
        "u2",
        ReportOutcome.NOT_DONE,
        T0 + timedelta(minutes=5),
        "nothing yet",
        f"ask earlier {PLANTED}",
        HeldBack.POLITICS,
        "the board",
    )
    other = ReportBack("s2", "s2-a1", "", "u2", ReportOutcome.DONE, T0 + timedelta(minutes=1))
    async with uow_factory() as uow:
        assert await uow.report_backs.get("s1-a1", "h1") == first
        await uow.report_backs.save(again)
        await uow.report_backs.save(other)
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.report_backs.get("s1-a1", "h1")
        assert found == again
        assert found is not None and found.answered_at.utcoffset() == timedelta(0)
        assert await uow.report_backs.of_set("s1") == [again]
        assert await uow.report_backs.of_set("s2") == [other]
        assert await uow.report_backs.get("s1-a1", "") is None

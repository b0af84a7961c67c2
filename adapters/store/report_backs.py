"""Members' report-backs on their actions: table and repository.

What happened, what was learned and what held someone back are set content, private to
the member: stored, never logged. `member_id` and the `*_text` columns are what the
erasure walk looks for.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from adapters.store.tables import utc_column
from bot.model.report_back import HeldBack, ReportBack, ReportOutcome


class ReportBackRow(SQLModel, table=True):
    """One answer per (action, meeting); `meeting_id` is "" when no meeting was open."""

    __tablename__ = "report_back"
    __table_args__ = (Index("ix_report_back_set", "set_id"),)

    action_id: str = Field(primary_key=True, foreign_key="action.id", max_length=64)
    meeting_id: str = Field(primary_key=True, max_length=64)
    set_id: str = Field(foreign_key="learning_set.id", max_length=64)
    member_id: str = Field(max_length=255)
    outcome: str = Field(max_length=16)
    answered_at: datetime = Field(sa_column=utc_column())
    happened_text: str | None = Field(default=None, sa_type=sa.Text)
    learned_text: str | None = Field(default=None, sa_type=sa.Text)
    held_back: str | None = Field(default=None, max_length=16)
    held_back_text: str | None = Field(default=None, sa_type=sa.Text)


def _row_values(report: ReportBack) -> dict[str, object]:
    return {
        "set_id": report.set_id,
        "member_id": report.member_id,
        "outcome": report.outcome.value,
        "answered_at": report.answered_at,
        "happened_text": report.happened,
        "learned_text": report.learned,
        "held_back": report.held_back.value if report.held_back else None,
        "held_back_text": report.held_back_note,
    }


def _report(row: ReportBackRow) -> ReportBack:
    return ReportBack(
        row.set_id,
        row.action_id,
        row.meeting_id,
        row.member_id,
        ReportOutcome(row.outcome),
        row.answered_at,
        row.happened_text,
        row.learned_text,
        HeldBack(row.held_back) if row.held_back else None,
        row.held_back_text,
    )


class SqlReportBackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, report: ReportBack) -> None:
        values = _row_values(report)
        row = await self.session.get(ReportBackRow, (report.action_id, report.meeting_id))
        if row is None:
            row = ReportBackRow.model_validate(
                {"action_id": report.action_id, "meeting_id": report.meeting_id, **values}
            )
        else:
            for key, value in values.items():
                setattr(row, key, value)
        self.session.add(row)
        await self.session.flush()

    async def get(self, action_id: str, meeting_id: str) -> ReportBack | None:
        result = await self.session.execute(
            select(ReportBackRow)
            .where(ReportBackRow.action_id == action_id, ReportBackRow.meeting_id == meeting_id)
            .execution_options(populate_existing=True)
        )
        row = result.scalars().first()
        return _report(row) if row else None

    async def of_set(self, set_id: str) -> list[ReportBack]:
        result = await self.session.execute(
            select(ReportBackRow)
            .where(ReportBackRow.set_id == set_id)
            .order_by(col(ReportBackRow.answered_at), col(ReportBackRow.action_id))
            .execution_options(populate_existing=True)
        )
        return [_report(r) for r in result.scalars()]

"""SQL repositories of meetings and what hangs on one: guest invitations, airtime bids."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from adapters.store.tables import AirtimeBidRow, GuestInvitationRow, MeetingRow
from bot.model import AirtimeBid, GuestInvitation, Meeting


def _meeting(row: MeetingRow) -> Meeting:
    return Meeting(
        row.id, row.set_id, row.starts_at, row.created_at, row.series_id, row.cancelled_at
    )


class SqlMeetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, meeting: Meeting) -> None:
        self.session.add(MeetingRow(**vars(meeting)))
        await self.session.flush()

    async def save(self, meeting: Meeting) -> None:
        row = await self.session.get(MeetingRow, meeting.id)
        if row is None:
            await self.add(meeting)
            return
        for key, value in vars(meeting).items():
            setattr(row, key, value)
        await self.session.flush()

    async def upcoming(self, set_id: str, after: datetime) -> list[Meeting]:
        result = await self.session.execute(
            select(MeetingRow)
            .where(
                MeetingRow.set_id == set_id,
                col(MeetingRow.cancelled_at).is_(None),
                col(MeetingRow.starts_at) >= after,
            )
            .order_by(col(MeetingRow.starts_at))
        )
        return [_meeting(r) for r in result.scalars()]

    async def get(self, meeting_id: str) -> Meeting | None:
        row = await self.session.get(MeetingRow, meeting_id)
        return _meeting(row) if row else None


class SqlGuestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invitation: GuestInvitation) -> None:
        key = (invitation.set_id, invitation.user_id, invitation.meeting_id)
        if await self.session.get(GuestInvitationRow, key) is None:
            self.session.add(GuestInvitationRow(**vars(invitation)))
            await self.session.flush()

    async def of_user(self, set_id: str, user_id: str) -> list[GuestInvitation]:
        result = await self.session.execute(
            select(GuestInvitationRow).where(
                GuestInvitationRow.set_id == set_id, GuestInvitationRow.user_id == user_id
            )
        )
        return [
            GuestInvitation(r.set_id, r.user_id, r.meeting_id, r.invited_by, r.invited_at)
            for r in result.scalars()
        ]


class SqlBidRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, bid: AirtimeBid) -> None:
        row = await self.session.get(AirtimeBidRow, (bid.meeting_id, bid.user_id))
        if row is None:
            self.session.add(AirtimeBidRow(**vars(bid)))
        else:
            row.bid_at, row.minutes, row.note = bid.bid_at, bid.minutes, bid.note
        await self.session.flush()

    async def for_meeting(self, meeting_id: str) -> list[AirtimeBid]:
        result = await self.session.execute(
            select(AirtimeBidRow)
            .where(AirtimeBidRow.meeting_id == meeting_id)
            .order_by(col(AirtimeBidRow.bid_at))
        )
        return [
            AirtimeBid(r.set_id, r.meeting_id, r.user_id, r.bid_at, r.minutes, r.note)
            for r in result.scalars()
        ]

"""Repositories for the set's life outside the rounds, over `setlife_tables`."""

from __future__ import annotations

from datetime import datetime, time
from typing import Literal, cast

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from adapters.store.setlife_tables import (
    AirtimeBidRow,
    GuestInvitationRow,
    MeetingRow,
    PersonSettingsRow,
    SetOptionsRow,
    SponsorLinkRow,
    StatementRow,
)
from bot.model import (
    AirtimeBid,
    GuestInvitation,
    Meeting,
    PersonSettings,
    SetOptions,
    SponsorLink,
    Statement,
    StatementKind,
)


class SqlStatementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, statement: Statement) -> None:
        self.session.add(
            StatementRow(
                set_id=statement.set_id,
                owner_id=statement.owner_id or "",
                kind=statement.kind,
                revision=statement.revision,
                text=statement.text,
                written_at=statement.written_at,
                written_by=statement.written_by,
            )
        )
        await self.session.flush()

    async def history(
        self, set_id: str, owner_id: str | None, kind: StatementKind
    ) -> list[Statement]:
        result = await self.session.execute(
            select(StatementRow)
            .where(
                StatementRow.set_id == set_id,
                StatementRow.owner_id == (owner_id or ""),
                StatementRow.kind == kind,
            )
            .order_by(col(StatementRow.revision))
        )
        return [
            Statement(
                r.set_id,
                r.owner_id or None,
                cast(StatementKind, r.kind),
                r.revision,
                r.text,
                r.written_at,
                r.written_by,
            )
            for r in result.scalars()
        ]


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


def _link(row: SponsorLinkRow) -> SponsorLink:
    return SponsorLink(row.set_id, row.member_id, row.sponsor_id, row.linked_at)


class SqlSponsorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, link: SponsorLink) -> None:
        row = await self.session.get(SponsorLinkRow, (link.set_id, link.member_id))
        if row is None:
            self.session.add(SponsorLinkRow(**vars(link)))
        else:
            row.sponsor_id, row.linked_at = link.sponsor_id, link.linked_at
        await self.session.flush()

    async def of_member(self, set_id: str, member_id: str) -> SponsorLink | None:
        row = await self.session.get(SponsorLinkRow, (set_id, member_id))
        return _link(row) if row else None

    async def sponsoring(self, set_id: str, sponsor_id: str) -> list[SponsorLink]:
        result = await self.session.execute(
            select(SponsorLinkRow).where(
                SponsorLinkRow.set_id == set_id, SponsorLinkRow.sponsor_id == sponsor_id
            )
        )
        return [_link(r) for r in result.scalars()]

    async def of_sponsor(self, sponsor_id: str) -> list[SponsorLink]:
        result = await self.session.execute(
            select(SponsorLinkRow)
            .where(SponsorLinkRow.sponsor_id == sponsor_id)
            .order_by(col(SponsorLinkRow.linked_at), col(SponsorLinkRow.set_id))
        )
        return [_link(r) for r in result.scalars()]

    async def remove(self, set_id: str, member_id: str) -> None:
        row = await self.session.get(SponsorLinkRow, (set_id, member_id))
        if row is not None:
            await self.session.delete(row)
            await self.session.flush()


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


def _clock(text: str) -> time:
    return time.fromisoformat(text)


class SqlPersonSettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> PersonSettings | None:
        row = await self.session.get(PersonSettingsRow, user_id)
        if row is None:
            return None
        hours = None
        if row.hours:
            start, _, end = row.hours.partition("-")
            hours = (_clock(start), _clock(end))
        days = tuple(int(d) for d in row.days.split(",")) if row.days else None
        return PersonSettings(
            row.user_id, hours, days, row.language, row.nudges, row.coaching, row.away_until
        )

    async def save(self, settings: PersonSettings) -> None:
        row = await self.session.get(PersonSettingsRow, settings.user_id)
        if row is None:
            row = PersonSettingsRow(user_id=settings.user_id)
            self.session.add(row)
        row.hours = (
            "-".join(t.strftime("%H:%M") for t in settings.hours) if settings.hours else None
        )
        row.days = ",".join(str(d) for d in settings.days) if settings.days else None
        row.language = settings.language
        row.nudges, row.coaching = settings.nudges, settings.coaching
        row.away_until = settings.away_until
        await self.session.flush()


class SqlSetOptionsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, set_id: str) -> SetOptions | None:
        row = await self.session.get(SetOptionsRow, set_id)
        if row is None:
            return None
        live = tuple(int(p) for p in row.live.split("/")) if row.live else None
        checkin: int | Literal["off"] | None = None
        if row.checkin is not None:
            checkin = "off" if row.checkin == "off" else int(row.checkin)
        return SetOptions(
            set_id=row.set_id,
            agreement=row.agreement,
            format=cast(Literal["own", "shared"], row.format),
            live=cast(tuple[int, int, int, int, int] | None, live),
            checkin=checkin,
            coaching=row.coaching,
            fishbowl=tuple(row.fishbowl.split("\n")) if row.fishbowl else (),
            language=row.language,
        )

    async def save(self, options: SetOptions) -> None:
        row = await self.session.get(SetOptionsRow, options.set_id)
        if row is None:
            row = SetOptionsRow(set_id=options.set_id)
            self.session.add(row)
        row.agreement, row.format = options.agreement, options.format
        row.live = "/".join(str(n) for n in options.live) if options.live else None
        row.checkin = None if options.checkin is None else str(options.checkin)
        row.coaching, row.language = options.coaching, options.language
        row.fishbowl = "\n".join(options.fishbowl)
        await self.session.flush()

"""SQL repositories of sets, people, memberships, sponsor links and contributions."""

from __future__ import annotations

from sqlalchemy import Table, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, delete, select

from adapters.store.tables import (
    ContributionRow,
    MembershipRow,
    PersonRow,
    SetRow,
    SponsorLinkRow,
)
from bot.model import Contribution, LearningSet, Membership, Person, Role, SetStatus, SponsorLink


def _set_from_row(row: SetRow) -> LearningSet:
    return LearningSet(
        id=row.id,
        place_id=row.place_id,
        platform=row.platform,
        name=row.name,
        created_by=row.created_by,
        created_at=row.created_at,
        tz=row.tz,
        status=SetStatus(row.status),
        closed_at=row.closed_at,
    )


class SqlSetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, set_id: str) -> LearningSet | None:
        row = await self.session.get(SetRow, set_id)
        return _set_from_row(row) if row else None

    async def get_by_place(self, place_id: str) -> LearningSet | None:
        result = await self.session.execute(select(SetRow).where(SetRow.place_id == place_id))
        row = result.scalar_one_or_none()
        return _set_from_row(row) if row else None

    async def add(self, learning_set: LearningSet) -> None:
        self.session.add(_set_row(learning_set))
        await self.session.flush()

    async def save(self, learning_set: LearningSet) -> None:
        row = await self.session.get(SetRow, learning_set.id)
        if row is None:
            await self.add(learning_set)
            return
        row.place_id = learning_set.place_id
        row.platform = learning_set.platform
        row.name = learning_set.name
        row.created_by = learning_set.created_by
        row.created_at = learning_set.created_at
        row.tz = learning_set.tz
        row.status = learning_set.status.value
        row.closed_at = learning_set.closed_at
        await self.session.flush()


def _set_row(s: LearningSet) -> SetRow:
    return SetRow(
        id=s.id,
        place_id=s.place_id,
        platform=s.platform,
        name=s.name,
        created_by=s.created_by,
        created_at=s.created_at,
        tz=s.tz,
        status=s.status.value,
        closed_at=s.closed_at,
    )


_PERSON: Table = PersonRow.__table__  # type: ignore[attr-defined]
_PERSON_BY_ID = sa_select(
    _PERSON.c.user_id, _PERSON.c.display_name, _PERSON.c.platform_tz, _PERSON.c.tz
).where(_PERSON.c.user_id == bindparam("of_user"))


class SqlPersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> Person | None:
        # Read on every command (the actor): a statement built once, rows not mapped.
        row = (await self.session.execute(_PERSON_BY_ID, {"of_user": user_id})).first()
        if row is None:
            return None
        return Person(row.user_id, row.display_name, row.platform_tz, row.tz)

    async def save(self, person: Person) -> None:
        row = await self.session.get(PersonRow, person.user_id)
        if row is None:
            row = PersonRow(user_id=person.user_id, display_name=person.display_name)
            self.session.add(row)
        row.display_name = person.display_name
        row.platform_tz = person.platform_tz
        row.tz = person.tz
        await self.session.flush()


def _membership_from_row(row: MembershipRow) -> Membership:
    return Membership(
        set_id=row.set_id,
        user_id=row.user_id,
        role=Role(row.role),
        joined_at=row.joined_at,
        agreed_at=row.agreed_at,
        left_at=row.left_at,
        removed=row.removed,
    )


class SqlMembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, set_id: str, user_id: str) -> Membership | None:
        row = await self.session.get(MembershipRow, (set_id, user_id))
        return _membership_from_row(row) if row else None

    async def list_active(self, set_id: str) -> list[Membership]:
        result = await self.session.execute(
            select(MembershipRow)
            .where(MembershipRow.set_id == set_id, col(MembershipRow.left_at).is_(None))
            .order_by(col(MembershipRow.joined_at))
        )
        return [_membership_from_row(r) for r in result.scalars()]

    async def of_user(self, user_id: str) -> list[Membership]:
        result = await self.session.execute(
            select(MembershipRow)
            .where(MembershipRow.user_id == user_id, col(MembershipRow.left_at).is_(None))
            .order_by(col(MembershipRow.joined_at), col(MembershipRow.set_id))
        )
        return [_membership_from_row(r) for r in result.scalars()]

    async def save(self, membership: Membership) -> None:
        row = await self.session.get(MembershipRow, (membership.set_id, membership.user_id))
        if row is None:
            row = MembershipRow(
                set_id=membership.set_id,
                user_id=membership.user_id,
                role=membership.role.value,
                joined_at=membership.joined_at,
            )
            self.session.add(row)
        row.role = membership.role.value
        row.joined_at = membership.joined_at
        row.agreed_at = membership.agreed_at
        row.left_at = membership.left_at
        row.removed = membership.removed
        await self.session.flush()


def _contribution_from_row(row: ContributionRow) -> Contribution:
    return Contribution(
        set_id=row.set_id,
        place_id=row.place_id,
        message_id=row.message_id,
        author_id=row.author_id,
        text=row.text,
        posted_at=row.posted_at,
        thread_id=row.thread_id,
        edited_at=row.edited_at,
    )


class SqlContributionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, place_id: str, message_id: str) -> Contribution | None:
        row = await self.session.get(ContributionRow, (place_id, message_id))
        return _contribution_from_row(row) if row else None

    async def save(self, contribution: Contribution) -> None:
        key = (contribution.place_id, contribution.message_id)
        row = await self.session.get(ContributionRow, key)
        if row is None:
            row = ContributionRow(
                place_id=contribution.place_id,
                message_id=contribution.message_id,
                set_id=contribution.set_id,
                author_id=contribution.author_id,
                text=contribution.text,
                posted_at=contribution.posted_at,
            )
            self.session.add(row)
        row.set_id = contribution.set_id
        row.author_id = contribution.author_id
        row.text = contribution.text
        row.thread_id = contribution.thread_id
        row.posted_at = contribution.posted_at
        row.edited_at = contribution.edited_at
        await self.session.flush()

    async def delete(self, place_id: str, message_id: str) -> None:
        await self.session.execute(
            delete(ContributionRow).where(
                col(ContributionRow.place_id) == place_id,
                col(ContributionRow.message_id) == message_id,
            )
        )

    async def list_thread(self, place_id: str, thread_id: str) -> list[Contribution]:
        result = await self.session.execute(
            select(ContributionRow)
            .where(ContributionRow.place_id == place_id, ContributionRow.thread_id == thread_id)
            .order_by(col(ContributionRow.posted_at))
        )
        return [_contribution_from_row(r) for r in result.scalars()]


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

"""Storing and reading the Teams adapter's conversation references.

Each call is its own short transaction on the shared engine. Writes are skipped
when nothing changed, so an ordinary message costs reads only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.teams.tables import TeamsConversationRow, TeamsPersonalChatRow
from adapters.teams.translate import ConversationRef, TeamsMember


@dataclass(frozen=True)
class PersonalChat:
    member: TeamsMember
    reference: ConversationRef | None
    refused_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC)


class TeamsReferences:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def remember_conversation(self, place_id: str, ref: ConversationRef) -> None:
        data = ref.to_json()
        for _attempt in range(2):  # a concurrent first insert wins; then we update
            async with self.sessions() as session:
                row = await session.get(TeamsConversationRow, place_id)
                if row is not None and row.reference == data:
                    return
                if row is None:
                    session.add(
                        TeamsConversationRow(place_id=place_id, reference=data, updated_at=_now())
                    )
                else:
                    row.reference = data
                    row.updated_at = _now()
                try:
                    await session.commit()
                    return
                except IntegrityError:
                    await session.rollback()

    async def conversation(self, place_id: str) -> ConversationRef | None:
        async with self.sessions() as session:
            row = await session.get(TeamsConversationRow, place_id)
            return ConversationRef.from_json(row.reference) if row else None

    async def remember_member(
        self, member: TeamsMember, personal: ConversationRef | None = None
    ) -> None:
        """Keep how to reach `member`; a 1:1 reference (they spoke to us) clears a refusal."""
        for _attempt in range(2):
            async with self.sessions() as session:
                row = await session.get(TeamsPersonalChatRow, member.user_id)
                if row is None:
                    row = TeamsPersonalChatRow(
                        user_id=member.user_id,
                        member_id=member.member_id,
                        service_url=member.service_url,
                        tenant_id=member.tenant_id,
                        bot_id=member.bot_id,
                        updated_at=_now(),
                    )
                    session.add(row)
                elif not _apply(row, member, personal):
                    return
                if personal is not None:
                    row.reference = personal.to_json()
                    row.refused_at = None
                row.updated_at = _now()
                try:
                    await session.commit()
                    return
                except IntegrityError:
                    await session.rollback()

    async def personal_chat(self, user_id: str) -> PersonalChat | None:
        async with self.sessions() as session:
            row = await session.get(TeamsPersonalChatRow, user_id)
            if row is None:
                return None
            member = TeamsMember(
                user_id=row.user_id,
                member_id=row.member_id,
                service_url=row.service_url,
                tenant_id=row.tenant_id,
                bot_id=row.bot_id,
                bot_name="Revans",
            )
            ref = ConversationRef.from_json(row.reference) if row.reference else None
            return PersonalChat(member, ref, row.refused_at)

    async def set_personal_reference(self, user_id: str, ref: ConversationRef) -> None:
        async with self.sessions() as session:
            row = await session.get(TeamsPersonalChatRow, user_id)
            if row is not None:
                row.reference = ref.to_json()
                row.refused_at = None
                row.updated_at = _now()
                await session.commit()

    async def mark_refused(self, user_id: str) -> bool:
        """Record a 403 for the user's 1:1; True if this is news (not already recorded)."""
        async with self.sessions() as session:
            row = await session.get(TeamsPersonalChatRow, user_id)
            if row is None or row.refused_at is not None:
                return False
            row.refused_at = _now()
            row.updated_at = row.refused_at
            await session.commit()
            return True

    async def clear_refusal(self, user_id: str) -> None:
        async with self.sessions() as session:
            row = await session.get(TeamsPersonalChatRow, user_id)
            if row is not None and row.refused_at is not None:
                row.refused_at = None
                row.updated_at = _now()
                await session.commit()


def _apply(
    row: TeamsPersonalChatRow, member: TeamsMember, personal: ConversationRef | None
) -> bool:
    """Copy what changed onto `row`; True if anything did."""
    changed = personal is not None and (row.reference != personal.to_json() or row.refused_at)
    for name in ("member_id", "service_url", "tenant_id", "bot_id"):
        value = getattr(member, name)
        if value and getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return bool(changed)

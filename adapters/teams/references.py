"""Storing and reading the Teams adapter's conversation references.

Each call is its own short transaction on the shared engine. Every message would
otherwise cost three or four reads, so what this process last read or wrote is
kept in memory for `CACHE_SECONDS`: an unchanged reference costs no query at all.
Staleness across replicas is harmless: references rarely change, a stale one still
addresses the same conversation, and a refusal recorded by another replica costs
at most one more 403 (which is recognised as already recorded, not re-reported).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from adapters.teams.tables import (
    TeamsConversationRow,
    TeamsPersonalChatRow,
    TeamsUnreachableReportRow,
)
from adapters.teams.translate import ConversationRef, TeamsMember


@dataclass(frozen=True)
class PersonalChat:
    member: TeamsMember
    reference: ConversationRef | None
    refused_at: datetime | None


CACHE_SECONDS = 300.0
K = TypeVar("K")
V = TypeVar("V")


def _now() -> datetime:
    return datetime.now(UTC)


class _Memo(Generic[K, V]):
    """A small time-bounded memo of what this process last read or wrote."""

    def __init__(self, seconds: float = CACHE_SECONDS, size: int = 10_000) -> None:
        self.seconds = seconds
        self.size = size
        self._items: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def put(self, key: K, value: V) -> None:
        if len(self._items) >= self.size:
            self._items.clear()  # crude but bounded; refilled from the database
        self._items[key] = (time.monotonic() + self.seconds, value)

    def drop(self, key: K) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()


class TeamsReferences:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._conversations: _Memo[str, ConversationRef] = _Memo()
        self._chats: _Memo[str, PersonalChat] = _Memo()
        self._reported: _Memo[tuple[str, str], bool] = _Memo()

    async def remember_conversation(self, place_id: str, ref: ConversationRef) -> None:
        if self._conversations.get(place_id) == ref:
            return
        await self._store_conversation(place_id, ref)
        self._conversations.put(place_id, ref)

    async def _store_conversation(self, place_id: str, ref: ConversationRef) -> None:
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

    async def forget_conversation(self, place_id: str) -> None:
        """Revans was removed from the place: its reference goes, so proactive sends
        there stop (`Undeliverable`) until it is added again."""
        self._conversations.drop(place_id)
        async with self.sessions() as session:
            row = await session.get(TeamsConversationRow, place_id)
            if row is not None:
                await session.delete(row)
                await session.commit()

    async def conversation(self, place_id: str) -> ConversationRef | None:
        cached = self._conversations.get(place_id)
        if cached is not None:
            return cached
        async with self.sessions() as session:
            row = await session.get(TeamsConversationRow, place_id)
            ref = ConversationRef.from_json(row.reference) if row else None
        if ref is not None:
            self._conversations.put(place_id, ref)
        return ref

    async def remember_member(
        self, member: TeamsMember, personal: ConversationRef | None = None
    ) -> None:
        """Keep how to reach `member`; a 1:1 reference (they spoke to us) clears a refusal."""
        cached = await self.personal_chat(member.user_id)  # from memory when warm
        if cached is not None and _same(cached, member, personal):
            return
        self._chats.drop(member.user_id)
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
                    if row.refused_at is not None:  # reachable again: a new refusal is news
                        await session.execute(_reports_of(member.user_id))
                    row.reference = personal.to_json()
                    row.refused_at = None
                row.updated_at = _now()
                try:
                    await session.commit()
                    self._chats.drop(member.user_id)  # a reader may have cached the old row
                    self._reported.clear()
                    return
                except IntegrityError:
                    await session.rollback()

    async def personal_chat(self, user_id: str, *, fresh: bool = False) -> PersonalChat | None:
        """From memory when warm; `fresh` reads the table (and refreshes the memory)."""
        cached = None if fresh else self._chats.get(user_id)
        if cached is not None:
            return cached
        chat = await self._load_chat(user_id)
        if chat is not None:
            self._chats.put(user_id, chat)
        return chat

    async def _load_chat(self, user_id: str) -> PersonalChat | None:
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

    async def user_ids_for(self, member_ids: list[str]) -> dict[str, str]:
        """Teams member id -> our user id, for the members we have met."""
        if not member_ids:
            return {}
        member_id = col(TeamsPersonalChatRow.member_id)
        query = select(member_id, col(TeamsPersonalChatRow.user_id)).where(
            member_id.in_(member_ids)
        )
        async with self.sessions() as session:
            return {member: user for member, user in (await session.execute(query)).all()}

    async def set_personal_reference(self, user_id: str, ref: ConversationRef) -> None:
        self._chats.drop(user_id)
        async with self.sessions() as session:
            row = await session.get(TeamsPersonalChatRow, user_id)
            if row is not None:
                row.reference = ref.to_json()
                row.refused_at = None
                row.updated_at = _now()
                await session.commit()
        # Dropped again after the commit: a reader that loaded the row while it was being
        # written may have cached it without the reference (then a second 1:1 is opened).
        self._chats.drop(user_id)

    async def mark_refused(self, user_id: str) -> bool:
        """Record a 403 for the user's 1:1; True if this is news (not already recorded)."""
        self._chats.drop(user_id)
        async with self.sessions() as session:
            row = await session.get(TeamsPersonalChatRow, user_id)
            if row is None or row.refused_at is not None:
                return False
            row.refused_at = _now()
            row.updated_at = row.refused_at
            await session.commit()
        self._chats.drop(user_id)  # a reader may have cached the row while it was written
        return True

    async def claim_report(self, set_id: str, user_id: str) -> bool:
        """Record that `set_id`'s facilitators are being told `user_id` cannot be
        messaged privately; True if nobody has told them yet (then tell them)."""
        if self._reported.get((set_id, user_id)):
            return False
        async with self.sessions() as session:
            if await session.get(TeamsUnreachableReportRow, (set_id, user_id)) is None:
                session.add(
                    TeamsUnreachableReportRow(set_id=set_id, user_id=user_id, reported_at=_now())
                )
                try:
                    await session.commit()
                    claimed = True
                except IntegrityError:  # another sender claimed it first
                    claimed = False
            else:
                claimed = False
        self._reported.put((set_id, user_id), True)
        return claimed

    async def release_report(self, set_id: str, user_id: str) -> None:
        """The report could not be delivered: the next refusal tries it again."""
        self._reported.drop((set_id, user_id))
        async with self.sessions() as session:
            row = await session.get(TeamsUnreachableReportRow, (set_id, user_id))
            if row is not None:
                await session.delete(row)
                await session.commit()


def _reports_of(user_id: str) -> Any:
    return delete(TeamsUnreachableReportRow).where(
        col(TeamsUnreachableReportRow.user_id) == user_id
    )


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


def _same(chat: PersonalChat, member: TeamsMember, personal: ConversationRef | None) -> bool:
    """Would remembering `member` (and `personal`) change nothing we know?"""
    known = chat.member
    same_member = (known.member_id, known.service_url, known.tenant_id, known.bot_id) == (
        member.member_id,
        member.service_url,
        member.tenant_id or known.tenant_id,
        member.bot_id,
    )
    if personal is None:
        return same_member
    return same_member and chat.reference == personal and chat.refused_at is None

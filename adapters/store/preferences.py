"""SQL repositories of preferences: a person's settings and a set's options."""

from __future__ import annotations

from datetime import time
from typing import Literal, cast

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.store.tables import PersonSettingsRow, SetOptionsRow
from bot.model import PersonSettings, SetOptions


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

"""Sending a file to someone in Teams: the file consent flow in their 1:1 chat.

A bot cannot attach a file to a message in Teams; it asks first. `send_file` keeps the
bytes (`teams_pending_file`, by a fresh id) and sends a file consent card to the
person's 1:1 chat, whose accept and decline contexts carry that id. When they press
Allow, Teams sends a `fileConsent/invoke` with an `uploadInfo`: a pre-authorised
OneDrive upload URL; the bytes are PUT there (one range, the whole file), a file info
card naming the uploaded file is sent to the chat, and the held bytes are forgotten.
Decline forgets them and sends nothing. An answer for an id that is not held, or held
for someone else, is ignored (answered twice, or not theirs).

The bytes are the person's own content (their learning log): held in the database,
never logged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.teams.tables import TeamsPendingFileRow
from adapters.teams.translate import user_id_of
from bot.errors import DeliveryError

Json = dict[str, Any]

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
CONSENT_INVOKE = "fileConsent/invoke"
FILE_KEY = "revans_file"


@dataclass(frozen=True)
class ConsentAnswer:
    """Someone's answer to a file consent card (`fileConsent/invoke`)."""

    user_id: str
    file_id: str
    accepted: bool
    upload: Json
    """Teams' `uploadInfo` on accept (uploadUrl, contentUrl, name, uniqueId, fileType)."""


def consent_answer_of(activity: Json) -> ConsentAnswer | None:
    """The answer an invoke carries, or None if it is not a well-formed one of ours."""
    if activity.get("type") != "invoke" or activity.get("name") != CONSENT_INVOKE:
        return None
    value = activity.get("value")
    if not isinstance(value, dict):
        return None
    context = value.get("context")
    file_id = context.get(FILE_KEY) if isinstance(context, dict) else None
    action = value.get("action")
    if not isinstance(file_id, str) or action not in ("accept", "decline"):
        return None
    upload = value.get("uploadInfo")
    upload = upload if isinstance(upload, dict) else {}
    if action == "accept" and not isinstance(upload.get("uploadUrl"), str):
        return None
    sender = activity.get("from") or {}
    return ConsentAnswer(user_id_of(sender), file_id, action == "accept", upload)


def consent_card(file_id: str, filename: str, size: int) -> Json:
    context = {FILE_KEY: file_id}
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": FILE_CONSENT,
                "name": filename,
                "content": {
                    "description": f"{filename}: for you alone. Allow to save it to your files.",
                    "sizeInBytes": size,
                    "acceptContext": context,
                    "declineContext": context,
                },
            }
        ],
    }


def file_info_card(upload: Json) -> Json:
    """The card that shows the uploaded file in the chat (from Teams' `uploadInfo`)."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": FILE_INFO,
                "contentUrl": upload.get("contentUrl"),
                "name": upload.get("name"),
                "content": {"uniqueId": upload.get("uniqueId"), "fileType": upload.get("fileType")},
            }
        ],
    }


class PendingFiles:
    """Files waiting for their reader's consent, and the upload once it is given."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._http: aiohttp.ClientSession | None = None

    async def hold(self, user_id: str, filename: str, content: bytes) -> str:
        file_id = uuid.uuid4().hex
        async with self.sessions() as session:
            session.add(
                TeamsPendingFileRow(
                    id=file_id,
                    user_id=user_id,
                    filename=filename,
                    body=content,
                    created_at=datetime.now(UTC),
                )
            )
            await session.commit()
        return file_id

    async def held(self, file_id: str, user_id: str) -> TeamsPendingFileRow | None:
        async with self.sessions() as session:
            row = await session.get(TeamsPendingFileRow, file_id)
        return row if row is not None and row.user_id == user_id else None

    async def forget(self, file_id: str) -> None:
        async with self.sessions() as session:
            await session.execute(
                delete(TeamsPendingFileRow).where(TeamsPendingFileRow.id == file_id)  # type: ignore[arg-type]
            )
            await session.commit()

    async def upload(self, url: str, content: bytes) -> None:
        """PUT the whole file to the upload URL Teams gave (pre-authorised: no token)."""
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        size = len(content)
        headers = {"Content-Range": f"bytes 0-{max(size - 1, 0)}/{size}"}
        try:
            async with self._http.put(url, data=content, headers=headers) as response:
                if response.status >= 300:
                    raise DeliveryError(f"teams file upload answered {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryError(f"teams file upload: {type(exc).__name__}") from None

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

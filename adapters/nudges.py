"""`revans nudges …`: what the scheduler would send, and what it gave up on.

Operator views: kinds, ids, times and states — never message content (the core
is asked what it *would* do at `--at`, in a transaction that is rolled back, and
only the verdict is shown).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from adapters.bootstrap import Runtime
from adapters.gateways import platform_of
from adapters.store.claims import StoredWork
from bot.dispatch import preview_due
from bot.duework import Drop
from bot.errors import UnknownWorkKind

AT_EXAMPLE = "2026-12-01T09:00:00Z"


def parse_instant(raw: str) -> datetime:
    """An ISO 8601 instant with a zone (`Z` or an offset); ValueError otherwise."""
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"must be an ISO 8601 instant such as {AT_EXAMPLE}, not {raw!r}") from None
    if at.tzinfo is None:
        raise ValueError(f"needs a time zone (Z or +HH:MM), e.g. {AT_EXAMPLE}, not {raw!r}")
    return at.astimezone(UTC)


@dataclass(frozen=True)
class DueLine:
    work: StoredWork
    member: str | None
    platform: str | None
    would: str
    reason: str | None

    def as_json(self) -> dict[str, object]:
        item = self.work.item
        return {
            "id": self.work.id,
            "kind": item.kind,
            "key": item.key,
            "set_id": item.set_id,
            "member": self.member,
            "user_id": item.user_id,
            "platform": self.platform,
            "due_at": _iso(item.due_at),
            "run_at": _iso(self.work.run_at),
            "would": self.would,
            "reason": self.reason,
        }


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


async def due_lines(runtime: Runtime, at: datetime) -> list[DueLine]:
    lines = []
    for work in await runtime.due_work.due_until(at):
        would, reason = await _verdict(runtime, work, at)
        member, platform = await _who_and_where(runtime, work)
        lines.append(DueLine(work, member, platform, would, reason))
    return lines


async def _verdict(runtime: Runtime, work: StoredWork, at: datetime) -> tuple[str, str | None]:
    """send, drop (with the kind's reason) or fail, as the core would decide at `at`."""
    try:
        result = await preview_due(runtime.core, work.item, at)
    except UnknownWorkKind:
        return "fail", "unknown kind"
    if isinstance(result, Drop):
        return "drop", result.reason
    return "send", None


async def _who_and_where(runtime: Runtime, work: StoredWork) -> tuple[str | None, str | None]:
    """The member's display name, and the platform (from the user, else from the set)."""
    item = work.item
    async with runtime.uow() as uow:
        if item.user_id is not None:
            person = await uow.people.get(item.user_id)
            return (person.display_name if person else None), platform_of(item.user_id)
        learning_set = await uow.sets.get(item.set_id) if item.set_id else None
    return None, (learning_set.platform if learning_set else None)


async def show_due(runtime: Runtime, at: datetime, out: TextIO, *, as_json: bool) -> None:
    lines = await due_lines(runtime, at)
    if as_json:
        json.dump([line.as_json() for line in lines], out, indent=2)
        out.write("\n")
        return
    if not lines:
        out.write(f"nothing due by {_iso(at)}\n")
        return
    for line in lines:
        row = line.as_json()
        verdict = f"{line.would} ({line.reason})" if line.reason else line.would
        out.write(
            f"{row['due_at']}  {row['kind']}  set={row['set_id'] or '-'}  "
            f"member={row['member'] or '-'} ({row['user_id'] or '-'})  {verdict}\n"
        )


async def show_failed(runtime: Runtime, out: TextIO, *, as_json: bool) -> None:
    failed = await runtime.due_work.failed()
    rows = [
        {
            "id": w.id,
            "kind": w.item.kind,
            "key": w.item.key,
            "set_id": w.item.set_id,
            "user_id": w.item.user_id,
            "due_at": _iso(w.item.due_at),
            "attempts": w.attempts,
            "deferrals": w.deferrals,
            "error": w.last_error,
            "failed_at": _iso(w.updated_at),
        }
        for w in failed
    ]
    if as_json:
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    if not rows:
        out.write("no failed due work\n")
        return
    for row in rows:
        out.write(
            f"{row['failed_at']}  #{row['id']} {row['kind']}  set={row['set_id'] or '-'}  "
            f"user={row['user_id'] or '-'}  attempts={row['attempts']}  {row['error']}\n"
        )

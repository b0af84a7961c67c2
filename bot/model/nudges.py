"""Nudges about committed actions, as stored: planned, then sent.

One `ActionNudge` is one reminder about one action at one instant (`bot.nudge_timing`
decides the instants). It holds ids, a kind and times — never the action's text. A
planned nudge is replaced whenever its action or its member's settings change; a sent
one stays, so the same reminder is never sent twice and a member is nudged at most once
a working day. `message_key` names the direct message it went out in (the key the
message's platform ref is remembered under), so a button pressed there can update it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class ActionNudge:
    id: str
    action_id: str
    set_id: str
    member_id: str
    """The action's owner: who is nudged."""
    kind: str
    """A `bot.nudge_timing.NudgeKind` value: midpoint, before_due, overdue or snoozed."""
    at: datetime
    """When it is (or was) planned for."""
    due_at: datetime
    """The action's due moment it was planned against: re-dating an action replans it."""
    sent_at: datetime | None = None
    message_key: str | None = None
    """The key of the direct message it was sent in."""

    @property
    def sent(self) -> bool:
        return self.sent_at is not None

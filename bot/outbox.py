"""Effects exactly once: a delivery's changes, its inbox row and its replies commit together.

An adapter that received a delivery (a Slack event or command, a Teams activity) and
wrote it to its inbox hands the core a `Receipt` with the delivery's inbox keys. The
dispatcher then, in the one transaction that runs the command:

1. applies the command's changes;
2. marks the delivery handled (`UnitOfWork.inbox.finish`), so a replay after a crash
   never runs it again;
3. queues the replies (`UnitOfWork.outbox.queue`): one outbox row per message or form,
   holding ids and the rendered message only until it is sent.

After the commit the adapter sends each item and marks it sent by its `outbox_id`.
If the process dies in between, a sender (here or on another replica) takes the
unsent rows over once their lease runs out and sends them: replies are delivered at
least once, commands applied exactly once. Where the platform lets a sender look
first (a Slack post carries the outbox id as message metadata), a re-send after a
crash checks and does not post twice.

A mistake (`UserError`) rolls the command back; its private answer is queued, and the
delivery marked handled, in a transaction of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Receipt:
    """An inbound delivery being handled: its source and the inbox keys it claimed."""

    source: str
    keys: tuple[str, ...]

    @property
    def origin(self) -> str:
        """What the outbox rows of this delivery are filed under (ids only)."""
        return f"{self.source}:{self.keys[0]}" if self.keys else self.source

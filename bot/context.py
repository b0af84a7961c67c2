"""Who is speaking, and where: what every use case is given besides its command."""

from __future__ import annotations

from dataclasses import dataclass

from bot.model import Actor, Place


@dataclass(frozen=True)
class Context:
    place: Place
    actor: Actor
    command_prefix: str = ""
    """How commands are typed here ("/set ", "@Revans ", ""), for examples in answers."""
    trigger: str | None = None
    """The platform's handle for opening a form in reply (Slack trigger_id), if any."""

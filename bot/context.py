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
    """The platform's handle of the interaction that asked, which its gateway needs to
    open a form in reply: Slack's `trigger_id` (valid 3 s) on commands and submitted
    forms. None where the platform needs none (Teams opens a card in the 1:1 at any
    time), and on events and due work. Opaque to the core, which only hands it on in
    `OpenForm`; never a place (the adapter that answers knows the place)."""

"""The one answer to a command or form that failed unexpectedly, on every platform.

The core's transaction rolled back, so nothing was changed; the speaker hears so
privately, in the place they spoke. The failure itself is logged by type only.
"""

from __future__ import annotations

from bot.context import Context
from bot.messages import Message, Outcome, Outgoing, Private

APOLOGY_TEXT = "Sorry, something went wrong on my side and nothing was changed. Please try again."


def apology(ctx: Context) -> Outcome:
    """A private apology to the speaker of `ctx`, where they spoke."""
    message = Message.text(APOLOGY_TEXT, kind="error")
    return Outcome((Outgoing(Private(ctx.actor.user_id, ctx.place.id), message),))

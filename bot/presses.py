"""Buttons: a member presses one on a message Revans sent, and the core acts on it.

A `Button` (`bot.messages`) carries an `action` (which handler) and a `value` (what it is
about: ids, never content). The adapter turns the press into a `Press` and calls
`bot.dispatch.handle_press` with the inbox receipt of the delivery, so a press is
handled once, in one transaction with its answers, like a typed command. Feature modules
declare their handlers as `PressKind`s in `PRESSES`, listed in `bot.catalogue`.

A press may open a form (`OpenForm`) whose `action` is `form_action(press.action, value)`:
submitted, it comes back to the same handler as a `Press` with the form's `values`
(`bot.dispatch.handle_form` recognises it), in the place the press came from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.messages import Outcome

FORM_PREFIX = "press|"


@dataclass(frozen=True)
class Press:
    action: str
    value: str
    values: Mapping[str, str] = field(default_factory=dict)
    """A submitted form's values by field name (empty for a button)."""


PressHandler = Callable[..., Awaitable[Outcome]]
"""`async (press: Press, *, ctx: Context, uow: UnitOfWork, now: datetime) -> Outcome`;
it checks who may press it (the button travels with the message, not with a right)."""


@dataclass(frozen=True)
class PressKind:
    action: str
    handler: PressHandler


def form_action(action: str, value: str) -> str:
    """The action of a form a press opens, carrying the press's value back."""
    return f"{FORM_PREFIX}{action}|{value}"


def press_of_form(action: str, values: Mapping[str, str]) -> Press | None:
    """The press a submitted form belongs to, or None for a verb's form."""
    if not action.startswith(FORM_PREFIX):
        return None
    name, _, value = action.removeprefix(FORM_PREFIX).partition("|")
    return Press(name, value, dict(values))

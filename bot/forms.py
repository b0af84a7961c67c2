"""Forms the core opens (see `bot.messages.OpenForm`) and how their answers come back.

A platform adapter that receives a submitted form calls
`bot.dispatch.handle_form(core, ctx, form.action, values)`; the values become the same
typed command the words would have, so authorisation and validation are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.commands import Command, SetChallenge, SetGoal
from bot.errors import GrammarError
from bot.help import example_for
from bot.parsing.roster import MAX_TEXT

FORM_COMMANDS: dict[str, Callable[[str], Command]] = {
    "challenge": SetChallenge,
    "goal": SetGoal,
}


def command_from_form(action: str, values: Mapping[str, str]) -> Command:
    build = FORM_COMMANDS.get(action)
    if build is None:
        raise GrammarError("That form is not one I know.", example="help")
    text = values.get("text", "").strip()
    if not text:
        raise GrammarError("The form was empty; nothing was changed.", example=example_for(action))
    if len(text) > MAX_TEXT:
        raise GrammarError(f"Keep it to {MAX_TEXT} characters.", example=example_for(action))
    return build(text)

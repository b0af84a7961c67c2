"""Forms the core opens (see `bot.messages.OpenForm`) and how their answers come back.

A platform adapter that receives a submitted form calls
`bot.dispatch.handle_form(core, ctx, form.action, values)`; the form's action is the
name of the verb that opened it, and the verb's `form` builder turns the submitted
text into the same typed command the words would have, so authorisation and
validation are the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.commands import Command
from bot.errors import GrammarError
from bot.parsing.words import MAX_TEXT
from bot.verbs import Registry


def command_from_form(verbs: Registry, action: str, values: Mapping[str, str]) -> Command:
    verb = verbs.verb(action)
    if verb is None or verb.form is None:
        raise GrammarError("That form is not one I know.", example="help")
    example = verb.usage.example
    text = values.get("text", "").strip()
    if not text:
        raise GrammarError("The form was empty; nothing was changed.", example=example)
    if len(text) > MAX_TEXT:
        raise GrammarError(f"Keep it to {MAX_TEXT} characters.", example=example)
    return verb.form(text)

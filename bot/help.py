"""Help text, read from the verb records: every verb in brief, or one in full."""

from __future__ import annotations

from bot.verbs import Registry


def help_text(verbs: Registry, topic: str | None = None) -> list[str]:
    """Lines of help: one verb in full, or every verb in brief."""
    verb = verbs.verb(topic) if topic else None
    if verb is not None:
        u = verb.usage
        return [f"{u.form} — {u.summary}", *u.details, f"Example: {u.example}"]
    lines = ["Revans runs action learning sets. Commands:"]
    lines += [f"• {v.usage.form} — {v.usage.summary} (e.g. `{v.usage.example}`)" for v in verbs]
    if topic:
        lines.insert(0, f"There is no help topic “{topic}”.")
    return lines

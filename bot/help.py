"""Usage text for each verb, with a correct example (also used in error answers)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    verb: str
    form: str
    summary: str
    example: str


USAGES: dict[str, Usage] = {
    u.verb: u
    for u in (
        Usage("help", "help [topic]", "usage, with examples", "help schedule"),
        Usage(
            "create",
            "create [name]",
            "make this channel or group chat a set; you become its facilitator",
            "create Ward leaders 2026",
        ),
        Usage("join", "join", "join this place's set", "join"),
        Usage("leave", "leave", "leave this place's set", "leave"),
        Usage("members", "members", "the roster with roles and local times", "members"),
    )
}


def example_for(verb: str, *, command_prefix: str = "") -> str:
    usage = USAGES.get(verb)
    return f"{command_prefix}{usage.example}" if usage else f"{command_prefix}help"


def help_text(topic: str | None = None) -> list[str]:
    """Lines of help: one verb in full, or every verb in brief."""
    if topic and topic in USAGES:
        u = USAGES[topic]
        return [f"{u.form} — {u.summary}", f"Example: {u.example}"]
    lines = ["Revans runs action learning sets. Commands:"]
    lines += [f"• {u.form} — {u.summary} (e.g. `{u.example}`)" for u in USAGES.values()]
    if topic:
        lines.insert(0, f"There is no help topic “{topic}”.")
    return lines

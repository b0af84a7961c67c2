"""What a round says: its message (updated in place as the phases change), the short
post that announces each change, and the prompt of each phase — what is expected of
whom, and until when (a `Moment`, so each reader sees their own time).

Nothing here reads the store: callers pass the round and say what happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.messages import (
    Button,
    Buttons,
    Inline,
    Mention,
    Message,
    Moment,
    Outcome,
    Outgoing,
    Public,
    Section,
    Text,
    Update,
)
from bot.model import PHASES, Mode, Phase, Round

TITLES = {
    Phase.PRESENT: "Present",
    Phase.QUESTIONS: "Questions",
    Phase.REFLECT: "Reflect",
    Phase.COMMIT: "Commit",
    Phase.RESONANCE: "Resonance",
    Phase.CLOSED: "Closed",
}


def round_key(round_: Round) -> str:
    """The key the round's message is remembered under (`bot.ports.MessageRefs`)."""
    return f"round:{round_.id}"


def prompt(round_: Round) -> tuple[Inline, ...]:
    """What the running phase asks of whom."""
    p = Mention(round_.presenter_id)
    if round_.phase is Phase.PRESENT and round_.shared:
        return (
            p,
            " leads: present the current state of the set's shared challenge — what has "
            "moved, what is stuck — and what you want from the set today. Everyone else: "
            "listen; your questions come next.",
        )
    if round_.phase is Phase.PRESENT:
        return (
            p,
            " presents: describe your challenge and what you want from the set today. "
            "Everyone else: listen; your questions come next.",
        )
    if round_.phase is Phase.QUESTIONS and round_.is_fishbowl:
        return (
            "Inner set (",
            *_inner(round_),
            "): ask ",
            p,
            " open questions, in this round's thread. No advice, no leading questions, no "
            "stories of your own: ",
            p,
            " is the expert on their problem. Silence is fine. Outer ring: listen, and write "
            "what you notice to me privately (`note TEXT`); I will share it, without your "
            "name, at resonance.",
        )
    if round_.phase is Phase.QUESTIONS:
        return (
            "Listeners: ask ",
            p,
            " open questions, in this round's thread. No advice, no leading questions "
            "(“Have you thought about…?”), no stories of your own: ",
            p,
            " is the expert on their problem. Silence is fine; it gives room to think. ",
            p,
            ": answer as much or as little as helps you.",
        )
    if round_.phase is Phase.REFLECT:
        return (
            p,
            ": what do you now see differently? Listeners: hold back, and let ",
            p,
            " think aloud.",
        )
    if round_.phase is Phase.COMMIT:
        return (
            p,
            ": what will you do before the next meeting? Say it as concrete actions "
            "(`commit TEXT [by DATE]`). Listeners: witness, without adding to the list.",
        )
    if round_.phase is Phase.RESONANCE and round_.is_fishbowl:
        return (
            "Inner set and outer ring: what did you notice? What feelings did listening evoke "
            "in you (they often belong to the situation, not only to you), and what did you "
            "learn? The outer ring's notes are shared here without names. ",
            p,
            ": listen; no need to answer.",
        )
    if round_.phase is Phase.RESONANCE:
        return (
            "Listeners: what did you notice? What feelings did listening evoke in you "
            "(they often belong to the situation, not only to you), and what did you learn? ",
            p,
            ": listen; no need to answer.",
        )
    return ("The round with ", p, " has ended. Thank you all.")


def _inner(round_: Round) -> tuple[Inline, ...]:
    """The inner set's mentions, "@a, @b"."""
    parts: list[Inline] = []
    for n, user_id in enumerate(round_.inner):
        parts += [", "] if n else []
        parts.append(Mention(user_id))
    return tuple(parts)


def until(round_: Round, now: datetime) -> tuple[Inline, ...]:
    """ "until 14:35" (live) / "until Thu 12 Mar 17:00" (async), or the time left if paused."""
    if round_.paused_left is not None:
        return (f"paused, {span(round_.paused_left)} left",)
    if round_.deadline is None:
        return ()
    if round_.mode is Mode.LIVE:
        return ("until ", Moment(round_.deadline, "time"))
    return ("until ", Moment(round_.deadline, "datetime"))


def round_card(round_: Round, now: datetime) -> Message:
    """The round's message: who presents, how, where the round is, and what is asked now."""
    total = span(sum(round_.lengths, timedelta()))
    how = f"({round_.mode.value}, {total})"
    head = Text.of(
        "Round: ",
        Mention(round_.presenter_id),
        f" leads {how} on the set's shared challenge." if round_.shared else f" presents {how}.",
    )
    steps = " → ".join(
        f"[{TITLES[p]}]" if p is round_.phase else TITLES[p] for p in (*PHASES, Phase.CLOSED)
    )
    blocks = [Section(head), Section(Text.of(steps))]
    if round_.is_fishbowl and round_.is_open:
        blocks.append(
            Section(
                Text.of(
                    "Fishbowl: the inner set (",
                    *_inner(round_),
                    ") works; the outer ring listens and writes to me privately (`note TEXT`), "
                    "shared without names at resonance.",
                )
            )
        )
    if round_.is_open:
        when = until(round_, now)
        blocks.append(Section(Text.of(f"{TITLES[round_.phase]}, ", *when, ": ", *prompt(round_))))
    else:
        blocks.append(Section(Text.of(*prompt(round_))))
    return Message(tuple(blocks))


COMMIT_PRESS = "round.commit"
"""The commit phase's button: the presenter's form for an action."""


def notice(round_: Round, now: datetime, *, why: tuple[Inline, ...] = ()) -> Message:
    """The short post that tells the set what changed and what is asked now."""
    if not round_.is_open:
        return Message.text(*why, *prompt(round_))
    head = (*why, f"{TITLES[round_.phase]} ({round_.number}/{len(PHASES)}), ", *until(round_, now))
    blocks: list[Section | Buttons] = [
        Section(Text.of(*head, ".")),
        Section(Text.of(*prompt(round_))),
    ]
    if round_.phase is Phase.COMMIT:  # the presenter's form (`bot.usecases.actions`)
        blocks.append(Buttons((Button("Commit to an action", COMMIT_PRESS, round_.id, "primary"),)))
    return Message(tuple(blocks))


def announce(
    round_: Round, place_id: str, now: datetime, *, why: tuple[Inline, ...] = ()
) -> Outcome:
    """A change to the round: its message updated in place, and a short new post."""
    return Outcome(
        (
            Outgoing(Update(place_id, remembered=round_key(round_)), round_card(round_, now)),
            Outgoing(Public(place_id), notice(round_, now, why=why)),
        )
    )


def first_post(
    round_: Round, place_id: str, now: datetime, *, challenge: str | None = None
) -> Outcome:
    """The round's message, remembered so later changes update it and replies thread
    under it. A round on the shared challenge shows its text (`challenge`; "" if not yet
    written) — set content, so only ever in the set's own place, which `place_id` is."""
    card = round_card(round_, now)
    if challenge is not None:
        card = Message((*card.blocks, Section(Text.of(*_challenge(challenge)))))
    return Outcome((Outgoing(Public(place_id), card, remember=round_key(round_)),))


def _challenge(text: str) -> tuple[Inline, ...]:
    if not text:
        return (
            "The set's shared challenge is not written yet: a facilitator writes it with "
            "`challenge TEXT`.",
        )
    return ("The set's shared challenge: ", text)


def span(delta: timedelta) -> str:
    """A readable length: "45 min", "1 h 30 min", "3 days", "2 days 4 h"."""
    minutes = max(0, round(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days > 1 else ""))
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)

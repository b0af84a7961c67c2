"""The App Home tab: a person's `HomeView` (`bot.usecases.home`) as a Block Kit home view.

Published with `views.publish` when the person opens the Home tab (`app_home_opened`)
and again after they press one of its buttons. Times are Slack date tokens, which each
reader's client shows in their own zone; the fallback text is the moment in the person's
zone as Revans knows it. Pure functions except `HomeReplies`, which only routes answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.slack.blocks import Block, escape, moment_token
from adapters.slack.gateway import SlackGateway
from adapters.slack.replies import CommandReplies
from bot.messages import Message, Moment
from bot.usecases.home import HomeAction, HomeButton, HomeView

MAX_ACTIONS = 30
"""Open actions shown (two blocks each): a home view holds at most 100 blocks."""
TEXT_LIMIT = 3000


def _clip(text: str, limit: int = TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text)}}


def local_token(at: datetime, local: datetime) -> str:
    """A date token whose fallback is the moment in the person's own zone."""
    fallback = local.strftime("%a %d %b %Y %H:%M ") + (local.tzname() or "")
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{fallback.strip()}>"


def _button(button: HomeButton) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": button.label},
        "action_id": button.action,
        "value": button.value,
    }
    if button.primary:
        element["style"] = "primary"
    return element


def _action_blocks(action: HomeAction) -> list[Block]:
    lines = [f"*Action {action.number}* in _{escape(action.set_name)}_: {escape(action.text)}"]
    if action.due_at is not None:
        passed = " (passed)" if action.overdue else ""
        lines.append(f"Due {moment_token(Moment(action.due_at))}{passed}")
    if action.snoozed_until is not None:
        lines.append(f"Snoozed: I'll nudge you again {moment_token(Moment(action.snoozed_until))}")
    return [
        _section("\n".join(lines)),
        {"type": "actions", "elements": [_button(b) for b in action.buttons]},
    ]


def home_blocks(view: HomeView) -> list[Block]:
    prefix = view.command_prefix
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your action learning"}}
    ]
    if view.empty:
        blocks.append(
            _section(
                "You are not in a set yet. In a set's channel, type "
                f"`{prefix}join` to join it, or `{prefix}create NAME` to start one there. "
                f"`{prefix}help` lists everything I can do."
            )
        )
    else:
        lines = [f"• {escape(s.name)} — {s.role}" for s in view.sets]
        blocks.append(_section("*Your sets*\n" + "\n".join(lines)))
        blocks.append({"type": "divider"})
        if view.actions:
            blocks.append(_section("*Your open actions* — invitations, not scores"))
            for action in view.actions[:MAX_ACTIONS]:
                blocks.extend(_action_blocks(action))
            if len(view.actions) > MAX_ACTIONS:
                more = len(view.actions) - MAX_ACTIONS
                blocks.append(_section(f"…and {more} more: `{prefix}actions mine` lists them."))
        else:
            blocks.append(
                _section(f"*Your open actions*\nNone open. `{prefix}commit TEXT` adds one.")
            )
        blocks.append({"type": "divider"})
        if view.meetings:
            lines = [
                f"• {escape(m.set_name)} — {local_token(m.starts_at, m.local)}"
                for m in view.meetings
            ]
            blocks.append(_section("*Your next meetings* (in your own time)\n" + "\n".join(lines)))
        else:
            blocks.append(_section("*Your next meetings*\nNone planned yet."))
    blocks.append({"type": "divider"})
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(view.round_steps, start=1))
    blocks.append(_section("*How a round works*\n" + steps))
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"What is said in a set stays in the set. Your time zone: {view.zone}"
                    f" (`{prefix}settings tz ZONE` changes it).",
                }
            ],
        }
    )
    return blocks


def home_payload(view: HomeView) -> dict[str, Any]:
    """The `view` argument of views.publish."""
    return {"type": "home", "callback_id": "revans.home", "blocks": home_blocks(view)}


class HomeReplies(CommandReplies):
    """Answers to a press on the Home tab: there is no channel to show a private answer
    in, so the presser's private answers go to their direct messages."""

    def __init__(self, gateway: SlackGateway, place_id: str, caller_id: str) -> None:
        super().__init__(gateway, place_id, caller_id, None)

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        if place_id == self.place_id:
            await self.gateway.direct(user_id, message)
            return
        await super().post_private(place_id, user_id, message, thread_id=thread_id)

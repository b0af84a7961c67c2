"""A message with a file (`bot.messages.Attachment`): the file goes to its one reader,
then the text; where the platform cannot send files, the reader is told so instead."""

from __future__ import annotations

import pytest

from adapters.store.message_codec import decode_item, encode_item
from bot.delivery import FILES_UNAVAILABLE, deliver
from bot.errors import FilesUnavailable
from bot.messages import Attachment, Direct, Message, Outcome, Outgoing, Private, Public
from bot.plain import render_message
from tests.fakes.gateway import RecordingGateway

FILE = Attachment("data.json", b'{"a": 1}')
WITH_FILE = Message(Message.text("Here is your data.").blocks, attachment=FILE)


class NoFiles(RecordingGateway):
    async def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        raise FilesUnavailable("not here")


async def test_the_file_goes_first_then_the_text() -> None:
    gateway = RecordingGateway()
    await deliver(gateway, Outcome((Outgoing(Private("u1", "c1"), WITH_FILE),)))
    file, text = gateway.sent
    assert (file.method, file.target, file.user_id) == ("file", "data.json", "u1")
    assert render_message(file.message, name_of=str) == '{"a": 1}'
    assert (text.method, text.user_id) == ("private", "u1")
    assert text.message.attachment is None
    assert render_message(text.message, name_of=str) == "Here is your data."


async def test_without_files_the_reader_is_told_instead_of_a_crash() -> None:
    gateway = NoFiles()
    await deliver(gateway, Outcome((Outgoing(Direct("u1"), WITH_FILE),)))
    (told,) = gateway.sent
    assert (told.method, told.user_id) == ("direct", "u1")
    assert render_message(told.message, name_of=str) == FILES_UNAVAILABLE


async def test_a_file_never_goes_to_a_place() -> None:
    with pytest.raises(ValueError):
        await deliver(RecordingGateway(), Outcome((Outgoing(Public("c1"), WITH_FILE),)))


def test_the_outbox_keeps_the_file() -> None:
    item = Outgoing(Private("u1", "c1"), WITH_FILE)
    decoded = decode_item(encode_item(item))
    assert isinstance(decoded, Outgoing)
    assert decoded.message.attachment == FILE

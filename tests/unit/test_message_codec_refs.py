"""The outbox keeps what a message needs to find its place: updates, threads, refs to keep."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.store.message_codec import audience_ids, decode_item, encode_item
from bot.messages import Message, Moment, Outgoing, Private, Public, Update


def test_updates_threads_and_remembered_posts_survive_the_outbox() -> None:
    card = Message.text("Round: ", Moment(datetime(2026, 12, 8, 14, 5, tzinfo=UTC), "time"))
    items = [
        Outgoing(Public("p1"), card, remember="round:r1"),
        Outgoing(Update("p1", remembered="round:r1"), card),
        Outgoing(Public("p1", thread_of="round:r1"), card),
        Outgoing(Public("p1", "ts-1"), card),
        Outgoing(Private("u1", "p1", "ts-1"), card),
    ]
    for item in items:
        assert decode_item(encode_item(item)) == item
    assert audience_ids(items[1]) == ("p1", None)


def test_rows_queued_before_refs_existed_still_decode() -> None:
    old = '{"to":{"public":"p1","thread":null},"message":{"blocks":[],"kind":"info","key":null}}'
    item = decode_item(old)
    assert isinstance(item, Outgoing) and item.to == Public("p1") and item.remember is None


def test_private_rows_queued_before_threads_existed_still_decode() -> None:
    old = '{"to":{"private":"u1","place":"p1"},"message":{"blocks":[],"kind":"info","key":null}}'
    item = decode_item(old)
    assert isinstance(item, Outgoing) and item.to == Private("u1", "p1")

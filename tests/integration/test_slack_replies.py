"""Answers to one command: postEphemeral first, the response_url only for the caller's place."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.config import Settings
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway, SlackRefused
from adapters.slack.replies import CommandReplies
from bot.messages import Message
from tests.confidential import PLANTED
from tests.fakes.slack_web_api import FakeSlack, RunningFake

HERE, ELSEWHERE = "slack:T1:G1", "slack:T1:G2"
CALLER, OTHER = "slack:T1:U1", "slack:T1:U2"


@pytest.fixture
async def replies() -> AsyncIterator[tuple[CommandReplies, FakeSlack]]:
    async with RunningFake(FakeSlack()) as fake, aiohttp.ClientSession() as session:
        fake.unreachable_channels.update({"G1", "G2"})
        settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
        gateway = SlackGateway(build_client(settings, session))
        yield CommandReplies(gateway, HERE, CALLER, f"{fake.url}response/1"), fake


async def test_the_callers_private_answer_falls_back_to_the_response_url(
    replies: tuple[CommandReplies, FakeSlack],
) -> None:
    reply, fake = replies
    await reply.post_private(HERE, CALLER, Message.text(f"only you {PLANTED}"))
    (sent,) = fake.responses
    assert sent["response_type"] == "ephemeral" and sent["text"] == f"only you {PLANTED}"
    assert sent["replace_original"] is False


async def test_no_fallback_for_someone_else_or_another_place(
    replies: tuple[CommandReplies, FakeSlack],
) -> None:
    reply, fake = replies
    with pytest.raises(SlackRefused):
        await reply.post_private(HERE, OTHER, Message.text("for another member"))
    with pytest.raises(SlackRefused):
        await reply.post_private(ELSEWHERE, CALLER, Message.text("another place"))
    with pytest.raises(SlackRefused):
        await reply.post(ELSEWHERE, Message.text("another place"))
    assert fake.responses == []


async def test_a_public_answer_falls_back_in_channel(
    replies: tuple[CommandReplies, FakeSlack],
) -> None:
    reply, fake = replies
    assert await reply.post(HERE, Message.text("everyone here")) == ""
    assert fake.responses[0]["response_type"] == "in_channel"


async def test_other_errors_do_not_fall_back(replies: tuple[CommandReplies, FakeSlack]) -> None:
    reply, fake = replies
    fake.fail_next("chat.postEphemeral", "msg_too_long")
    with pytest.raises(SlackRefused, match="msg_too_long"):
        await reply.post_private(HERE, CALLER, Message.text("x"))
    assert fake.responses == []


async def test_without_a_response_url_the_callers_private_answer_goes_to_their_dms() -> None:
    async with RunningFake(FakeSlack()) as fake, aiohttp.ClientSession() as session:
        fake.unreachable_channels.add("G1")
        settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
        reply = CommandReplies(SlackGateway(build_client(settings, session)), HERE, CALLER, None)
        await reply.post_private(HERE, CALLER, Message.text(f"saved {PLANTED}"))
        (dm,) = fake.ok_calls("chat.postMessage")
        assert dm.args["channel"] == "D1" and dm.args["text"] == f"saved {PLANTED}"
        with pytest.raises(SlackRefused):
            await reply.post(HERE, Message.text("public"))  # no response_url to fall back on
        assert not fake.responses

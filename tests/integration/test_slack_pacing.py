"""Posting to Slack paced per channel (`adapters.pacing`): a burst to several channels
at once against a fake that limits each channel arrives whole, while the same burst
unpaced meets a storm of 429s. The windows are shortened here (tenths of a second) so the
burst takes about two seconds, and the fake's are half as long, as event-loop and
connection delays can bunch two posts on the way. Slack's own tolerance is the goal: at
most one 429 per channel; a 429 is retried after its Retry-After, so every post arrives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.config import Settings
from adapters.pacing import Pacer
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway
from bot.errors import RateLimited
from bot.messages import Message
from tests.fakes.slack_web_api import FakeSlack, RunningFake

WINDOWS = ((0.2, 2), (1.0, 6))
FAKE_LIMIT = tuple((seconds * 0.5, most) for seconds, most in WINDOWS)
CHANNELS = [f"slack:T1:C{n}" for n in range(3)]
PER_CHANNEL = 10


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with RunningFake(FakeSlack()) as running:
        running.limit_channels(FAKE_LIMIT)
        yield running


async def burst(gateway: SlackGateway) -> list[BaseException | str]:
    posts = [
        gateway.post(place, Message.text(f"post {n}"))
        for n in range(PER_CHANNEL)
        for place in CHANNELS
    ]
    return await asyncio.gather(*posts, return_exceptions=True)


async def test_a_paced_burst_to_three_channels_arrives_whole_with_at_most_one_429_each(
    fake: FakeSlack,
) -> None:
    settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
    async with aiohttp.ClientSession() as session:
        gateway = SlackGateway(build_client(settings, session), channels=Pacer(windows=WINDOWS))
        results = await burst(gateway)
    assert all(isinstance(r, str) and r for r in results), results
    limited = [c.args["channel"] for c in fake.calls_to("chat.postMessage") if c.status == 429]
    assert all(limited.count(channel) <= 1 for channel in set(limited)), limited
    for place in CHANNELS:
        channel = place.rsplit(":", 1)[1]
        texts = [
            c.args["text"]
            for c in fake.ok_calls("chat.postMessage")
            if c.args["channel"] == channel
        ]
        assert sorted(texts) == sorted(f"post {n}" for n in range(PER_CHANNEL))


async def test_the_same_burst_unpaced_is_rate_limited(fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=fake.token, base_url=f"{fake.url}api/", session=session)
        unpaced = Pacer(windows=((1.0, 10_000),))
        gateway = SlackGateway(client, channels=unpaced, workspaces=unpaced)
        results = await burst(gateway)
    limited = [r for r in results if isinstance(r, RateLimited)]
    assert len(limited) >= len(CHANNELS) * (PER_CHANNEL - 2) - 3
    assert all(r.retry_after >= 1 for r in limited)

"""`SlackGateway` against the fake Web API: every port method, and Slack's errors mapped."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.config import Settings
from adapters.slack.app import build_client
from adapters.slack.gateway import SlackGateway, SlackRefused
from bot.errors import DeliveryError, RateLimited
from bot.messages import Form, FormField, Mention, Message
from tests.confidential import PLANTED
from tests.fakes.slack_web_api import FakeSlack, RunningFake

PLACE, USER = "slack:T1:C1", "slack:T1:U7"
Gateway = tuple[SlackGateway, list[tuple[str, str]]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with RunningFake(FakeSlack()) as running:
        yield running


@pytest.fixture
async def gateway(fake: FakeSlack) -> AsyncIterator[Gateway]:
    errors: list[tuple[str, str]] = []
    settings = Settings(slack_bot_token=fake.token, slack_api_url=f"{fake.url}api/")
    async with aiohttp.ClientSession() as session:
        client = build_client(settings, session)
        yield SlackGateway(client, on_error=lambda m, e: errors.append((m, e))), errors


async def test_post_in_a_thread_returns_the_ts(fake: FakeSlack, gateway: Gateway) -> None:
    gw, _ = gateway
    ts = await gw.post(PLACE, Message.text(Mention(USER), f" {PLANTED}"), thread_id="1.2")
    (call,) = fake.ok_calls("chat.postMessage")
    assert call.args["channel"] == "C1" and call.args["thread_ts"] == "1.2"
    assert ts and call.args["text"] == f"<@U7> {PLANTED}"


async def test_private_direct_update_form_and_file(fake: FakeSlack, gateway: Gateway) -> None:
    gw, _ = gateway
    await gw.post_private(PLACE, USER, Message.text("only you"))
    await gw.post_private(None, USER, Message.text("no place: a DM"))
    await gw.update(PLACE, "1.5", Message.text("changed"))
    await gw.open_form("trig.1", USER, Form("goal.save", "Goal", (FormField("text", "Goal"),)))
    await gw.send_file(USER, "log.md", b"# my log")
    (eph,) = fake.ok_calls("chat.postEphemeral")
    assert (eph.args["channel"], eph.args["user"]) == ("C1", "U7")
    dm = fake.ok_calls("chat.postMessage")[0].args
    assert dm["channel"] == "D7" and dm["text"] == "no place: a DM"
    assert fake.ok_calls("chat.update")[0].args["ts"] == "1.5"
    assert fake.ok_calls("views.open")[0].args["view"]["callback_id"] == "goal.save"
    assert fake.uploads == [b"# my log"]
    (done,) = fake.ok_calls("files.completeUploadExternal")
    assert done.args["channel_id"] == "D7"
    (shared,) = fake.shared
    assert (shared.filename, shared.channel_id, shared.content) == ("log.md", "D7", b"# my log")


async def test_slack_errors_become_delivery_errors(fake: FakeSlack, gateway: Gateway) -> None:
    gw, errors = gateway
    fake.unreachable_channels.add("G1")
    with pytest.raises(SlackRefused) as refused:
        await gw.post("slack:T1:G1", Message.text("hi"))
    assert refused.value.error == "not_in_channel"
    with pytest.raises(DeliveryError, match="channel_not_found"):
        await gw.post("slack:T1:X1", Message.text("hi"))
    assert errors == [
        ("chat.postMessage", "not_in_channel"),
        ("chat.postMessage", "channel_not_found"),
    ]
    assert PLANTED not in str(refused.value)


async def test_a_rate_limit_that_outlasts_the_retry_is_raised(
    fake: FakeSlack, gateway: Gateway
) -> None:
    gw, errors = gateway
    fake.rate_limit_next("chat.postMessage", retry_after=0, times=2)
    with pytest.raises(RateLimited) as limited:
        await gw.post(PLACE, Message.text("hi"))
    assert limited.value.retry_after == 0
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 429]
    assert errors == [("chat.postMessage", "ratelimited")]


async def test_a_wrong_token_is_a_delivery_error(fake: FakeSlack) -> None:
    settings = Settings(slack_bot_token="xoxb-wrong", slack_api_url=f"{fake.url}api/")
    async with aiohttp.ClientSession() as session:
        gw = SlackGateway(build_client(settings, session))
        with pytest.raises(DeliveryError, match="invalid_auth"):
            await gw.post(PLACE, Message.text("hi"))


async def test_a_form_without_a_trigger_is_refused_without_calling_slack(
    fake: FakeSlack, gateway: Gateway
) -> None:
    gw, errors = gateway
    form = Form("challenge", "Challenge", (FormField("text", "Challenge"),))
    with pytest.raises(DeliveryError, match="no trigger_id"):
        await gw.open_form("", USER, form)
    assert not fake.calls_to("views.open")
    assert errors == [("views.open", "no_trigger")]
    await gw.open_form("trig.2", USER, form, metadata='{"place": "slack:T1:C1"}')
    (opened,) = fake.ok_calls("views.open")
    assert opened.args["trigger_id"] == "trig.2"
    assert opened.args["view"]["private_metadata"] == '{"place": "slack:T1:C1"}'


async def test_user_info_reads_the_profile_and_maps_refusals(
    fake: FakeSlack, gateway: Gateway
) -> None:
    gw, errors = gateway
    fake.zones["U7"] = "Asia/Tokyo"
    assert (await gw.user_info(USER))["tz"] == "Asia/Tokyo"
    assert fake.ok_calls("users.info")[0].args["user"] == "U7"
    fake.fail_next("users.info", "user_not_found")
    with pytest.raises(SlackRefused) as refused:
        await gw.user_info(USER)
    assert refused.value.error == "user_not_found"
    assert errors == [("users.info", "user_not_found")]


def test_retry_after_is_read_forgivingly() -> None:
    from adapters.slack.gateway import retry_after_seconds

    assert retry_after_seconds("30") == 30.0
    assert retry_after_seconds(["2.5"][0]) == 2.5
    assert retry_after_seconds("²") == 1.0  # isdigit() says yes, float() says no
    assert retry_after_seconds("soon") == 1.0
    assert retry_after_seconds("-5") == 1.0
    assert retry_after_seconds("99999") == 1.0


async def test_a_private_note_in_a_thread_is_shown_there_or_sent_as_a_dm(
    fake: FakeSlack, gateway: Gateway
) -> None:
    gw, _ = gateway
    await gw.post_private(PLACE, USER, Message.text("in the thread"), thread_id="1.2")
    (eph,) = fake.ok_calls("chat.postEphemeral")
    assert eph.args["thread_ts"] == "1.2" and eph.args["user"] == "U7"
    fake.fail_next("chat.postEphemeral", "not_in_channel")
    await gw.post_private(PLACE, USER, Message.text("as a DM"), thread_id="1.2")
    (dm,) = fake.ok_calls("chat.postMessage")
    assert dm.args["channel"] == "D7" and dm.args["text"] == "as a DM"
    fake.fail_next("chat.postEphemeral", "not_in_channel")
    with pytest.raises(SlackRefused):  # not in a thread: the caller decides, as before
        await gw.post_private(PLACE, USER, Message.text("no thread"))

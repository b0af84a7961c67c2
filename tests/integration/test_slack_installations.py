"""The Slack installation and OAuth state stores on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.installations import SqlInstallationStore, SqlOAuthStateStore
from adapters.store.engine import make_engine

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    made = make_engine(db_url)
    try:
        yield made
    finally:
        await made.dispose()


def installation(team: str, token: str, *, enterprise: str | None = None) -> Installation:
    return Installation(
        app_id="A0REVANS",
        enterprise_id=enterprise,
        team_id=team,
        team_name=f"Team {team}",
        bot_token=token,
        bot_id=f"B{team}",
        bot_user_id=f"U{team}BOT",
        bot_scopes=["chat:write", "commands"],
        user_id="UINSTALLER",
        installed_at=T0.timestamp(),
    )


async def test_each_workspace_has_its_own_bot_and_a_reinstall_replaces_it(
    engine: AsyncEngine,
) -> None:
    store = SqlInstallationStore(engine, now=lambda: T0)
    await store.async_save(installation("TA", "xoxb-a-1"))
    await store.async_save(installation("TB", "xoxb-b-1"))
    await store.async_save(installation("TA", "xoxb-a-2"))  # reinstalled: a new token

    bot = await store.async_find_bot(enterprise_id=None, team_id="TA")
    assert bot is not None
    assert (bot.bot_token, bot.bot_id, bot.bot_user_id) == ("xoxb-a-2", "BTA", "UTABOT")
    assert bot.bot_scopes == ["chat:write", "commands"]
    assert await store.bot_token("TA") == "xoxb-a-2"
    assert await store.bot_token("TB") == "xoxb-b-1"
    assert await store.bot_token("TC") is None
    found = await store.async_find_installation(enterprise_id=None, team_id="TB")
    assert found is not None and found.bot_token == "xoxb-b-1"
    by_user = await store.async_find_installation(enterprise_id=None, team_id="TB", user_id="U1")
    assert by_user is None


async def test_deleting_one_workspace_leaves_the_others(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine, now=lambda: T0)
    await store.async_save(installation("TA", "xoxb-a"))
    await store.async_save(installation("TB", "xoxb-b"))
    await store.async_save(installation("TE", "xoxb-e", enterprise="E1"))

    await store.async_delete_all(enterprise_id=None, team_id="TA")
    assert await store.async_find_bot(enterprise_id=None, team_id="TA") is None
    assert await store.bot_token("TB") == "xoxb-b"

    await store.async_delete_bot(enterprise_id=None, team_id="TB")
    assert await store.bot_token("TB") is None
    await store.async_delete_installation(enterprise_id="E1", team_id="TE", user_id="U1")
    assert await store.bot_token("TE") == "xoxb-e", "a user's token going takes no bot token"
    bot = await store.async_find_bot(enterprise_id="E1", team_id="TE")
    assert bot is not None and bot.enterprise_id == "E1"


async def test_an_install_without_a_bot_token_is_not_kept(engine: AsyncEngine) -> None:
    store = SqlInstallationStore(engine)
    user_only = Installation(user_id="U1", team_id="TA", user_token="xoxp-1")
    await store.async_save(user_only)
    assert await store.async_find_bot(enterprise_id=None, team_id="TA") is None


async def test_a_state_is_consumed_once_and_only_before_it_expires(engine: AsyncEngine) -> None:
    clock = [T0]
    states = SqlOAuthStateStore(engine, lifetime=timedelta(minutes=10), now=lambda: clock[0])
    first, second = await states.async_issue(), await states.async_issue()
    assert first != second and len(first) >= 32
    assert await states.async_consume(first)
    assert not await states.async_consume(first), "a state is good once"
    assert not await states.async_consume("made-up")
    clock[0] = T0 + timedelta(minutes=11)
    assert not await states.async_consume(second), "an expired state is refused"


async def test_a_token_is_read_once_a_minute_and_forgotten_when_this_store_changes(
    engine: AsyncEngine,
) -> None:
    seconds = [0.0]
    store = SqlInstallationStore(engine, now=lambda: T0, clock=lambda: seconds[0])
    other_replica = SqlInstallationStore(engine, now=lambda: T0 + timedelta(seconds=1))
    await store.async_save(installation("TA", "xoxb-a-1"))
    assert await store.bot_token("TA") == "xoxb-a-1"

    await other_replica.async_save(installation("TA", "xoxb-a-2"))  # unseen by `store`
    seconds[0] = 59.0
    assert await store.bot_token("TA") == "xoxb-a-1", "kept for a minute"
    seconds[0] = 61.0
    assert await store.bot_token("TA") == "xoxb-a-2", "read again after it"

    await store.async_delete_all(enterprise_id=None, team_id="TA")
    assert await store.bot_token("TA") is None, "a delete through the store is seen at once"

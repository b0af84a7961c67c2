"""Slack in multi-workspace mode for end-to-end tests: `revans serve` with SLACK_CLIENT_ID
and no bot token, and an admin's install through `/slack/install` → `/slack/oauth_redirect`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from yarl import URL

from adapters.slack.manifest import SCOPES
from tests.confidential import assert_not_leaked
from tests.e2e.database import rows
from tests.e2e.slack_client import RevansServer, SlackSender
from tests.fakes.slack_web_api import CLIENT_ID, CLIENT_SECRET, FakeSlack, RunningFake
from tests.polling import eventually

Slack = tuple[FakeSlack, RevansServer, SlackSender]


@asynccontextmanager
async def oauth_server(db_url: str, tmp_path: Path) -> AsyncIterator[Slack]:
    """The fake Web API and `revans serve` in multi-workspace mode; afterwards, no set
    content, token or client secret in its logs and a clean exit."""
    env = {
        "SLACK_BOT_TOKEN": "",
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    }
    async with (
        RunningFake(FakeSlack()) as fake,
        RevansServer(tmp_path, db_url, fake, **env) as server,
    ):
        yield fake, server, SlackSender(server, fake)
    output = server.output()
    assert_not_leaked(output, "the server's logs")
    for secret in [*fake.installed, CLIENT_SECRET]:
        assert secret not in output, "a token in the server's logs"
    assert server.returncode == 0, output[-3000:]


async def install(server: RevansServer, fake: FakeSlack, team: str) -> str:
    """Install into `team` as an admin's browser would; the bot token Slack issued."""
    async with aiohttp.ClientSession() as browser:
        async with browser.get(f"{server.url}/slack/install", allow_redirects=False) as r:
            assert r.status == 302, await r.text()
            consent = URL(r.headers["Location"])
            # the state cookie is `Secure`: a browser sends it back over https, so by hand here
            cookie = r.headers["Set-Cookie"].split(";")[0]
        assert str(consent.with_query(None)) == f"{fake.url}oauth/v2/authorize"  # SLACK_API_URL's
        assert consent.query["client_id"] == CLIENT_ID
        assert set(consent.query["scope"].split(",")) == set(SCOPES)
        back = {"code": fake.code_for(team), "state": consent.query["state"]}
        redirect, headers = f"{server.url}/slack/oauth_redirect", {"Cookie": cookie}
        async with browser.get(redirect, params=back, headers=headers) as r:
            assert r.status == 200, await r.text()
        async with browser.get(redirect, params=back, headers=headers) as r:
            assert r.status >= 400, "a state is good once"
    return fake.token_of(team)


async def uninstall(
    send: SlackSender, db_url: str, team: str, *, left: list[tuple[str, str]]
) -> None:
    """`app_uninstalled` from `team`; waits until the installations `left` (team id, bot
    token) are all that remain."""
    uninstalled = {"type": "app_uninstalled", "event_ts": "1700000900.000100"}
    assert (await send.event(uninstalled, team=team))[0] == 200
    await eventually(
        lambda: rows(db_url, "SELECT team_id, bot_token FROM slack_installation"),
        lambda found: found == left,
        what=f"{team}'s token deleted, the others kept",
    )

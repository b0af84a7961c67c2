"""Any number of Slack workspaces, end to end: the real `revans serve` with SLACK_CLIENT_ID.

Two workspaces install Revans through `/slack/install` → Slack's consent page →
`/slack/oauth_redirect?code=…&state=…` (the fake Web API's `oauth.v2.access` gives each
its own bot token). A command in each is answered with that workspace's token; the same
user id and channel id in both are two people and two sets. `app_uninstalled` in one
deletes its token and nothing of the other's, which is still answered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.confidential import PLANTED
from tests.e2e.database import rows
from tests.e2e.slack_client import CHANNEL, FAC, MEMBERS, RevansServer, SlackSender
from tests.e2e.slack_oauth import install, oauth_server, uninstall
from tests.fakes.slack_web_api import FakeSlack

ALPHA, BRAVO = "T0ALPHA", "T0BRAVO"
ANN = MEMBERS[0]
Workspaces = tuple[FakeSlack, RevansServer, SlackSender]


@pytest.fixture
async def workspaces(db_url: str, tmp_path: Path) -> AsyncIterator[Workspaces]:
    async with oauth_server(db_url, tmp_path) as slack:
        yield slack


def answered(fake: FakeSlack, words: str, token: str) -> list[str]:
    """The channels `token` posted `words` to."""
    return [
        str(c.args["channel"])
        for c in fake.used_by(token)
        if c.method == "chat.postMessage" and c.ok and words in c.args["text"]
    ]


async def test_two_workspaces_are_answered_each_with_its_own_token_and_uninstall_forgets_one(
    workspaces: Workspaces, db_url: str
) -> None:
    fake, server, send = workspaces
    token_a = await install(server, fake, ALPHA)
    token_b = await install(server, fake, BRAVO)
    assert token_a != token_b
    assert await rows(db_url, "SELECT team_id FROM slack_installation ORDER BY team_id") == [
        (ALPHA,),
        (BRAVO,),
    ]

    # a forged state installs nothing
    async with aiohttp.ClientSession() as browser:
        forged = {"code": fake.code_for("T0EVIL"), "state": "forged"}
        async with browser.get(f"{server.url}/slack/oauth_redirect", params=forged) as r:
            assert r.status >= 400
    assert "T0EVIL" not in fake.installed.values()

    # the same user id creates a set in the same channel id of each workspace
    assert (await send.command(FAC, f"create Alpha {PLANTED}", team=ALPHA))[0] == 200
    await fake.wait_for(lambda: answered(fake, "made this place the set", token_a), what="A")
    assert (await send.command(FAC, "create Bravo", team=BRAVO))[0] == 200
    await fake.wait_for(lambda: answered(fake, "made this place the set", token_b), what="B")
    assert answered(fake, "made this place the set", token_a) == [CHANNEL]
    assert not answered(fake, "Bravo", token_a) and not answered(fake, "Alpha", token_b)

    assert (await send.command(ANN, "join", team=BRAVO))[0] == 200
    await fake.wait_for(
        lambda: [c for c in fake.used_by(token_b) if c.method == "chat.postEphemeral"],
        what="ann's welcome in B, with B's token",
    )
    sets = await rows(db_url, "SELECT place_id, created_by FROM learning_set ORDER BY place_id")
    assert sets == [
        (f"slack:{ALPHA}:{CHANNEL}", f"slack:{ALPHA}:{FAC}"),
        (f"slack:{BRAVO}:{CHANNEL}", f"slack:{BRAVO}:{FAC}"),
    ], "two places, two people"
    members = await rows(db_url, "SELECT user_id FROM membership ORDER BY user_id")
    assert members == [
        (f"slack:{ALPHA}:{FAC}",),
        (f"slack:{BRAVO}:{ANN}",),
        (f"slack:{BRAVO}:{FAC}",),
    ]
    assert all(c.token in (token_a, token_b, None) for c in fake.calls), "only installed tokens"

    # bolt's authorizer caches auth.test by token: one at install, one at the first request
    for _ in range(3):
        assert (await send.command(FAC, "help", team=ALPHA))[0] == 200
    auth_tests = [c for c in fake.used_by(token_a) if c.method == "auth.test"]
    assert len(auth_tests) == 2

    # A uninstalls: A's token goes, B's stays and B is still answered with it
    await uninstall(send, db_url, ALPHA, left=[(BRAVO, token_b)])
    used_by_a = len(fake.used_by(token_a))
    assert (await send.command(ANN, "agree", team=BRAVO))[0] == 200
    await fake.wait_for(
        lambda: len([c for c in fake.used_by(token_b) if c.method == "chat.postEphemeral"]) >= 2,
        what="B still answered, with B's token",
    )
    await send.command(FAC, "help", team=ALPHA)
    assert (await send.command(ANN, "help", team=BRAVO))[0] == 200
    await fake.wait_for(
        lambda: len([c for c in fake.used_by(token_b) if c.method == "chat.postEphemeral"]) >= 3,
        what="B answered after A's command",
    )
    assert len(fake.used_by(token_a)) == used_by_a, "nothing sent with A's deleted token"

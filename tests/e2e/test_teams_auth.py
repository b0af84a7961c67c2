"""Teams authentication end to end: the real server with an app id validates inbound
JWTs against a local OpenID issuer (configured through botbuilder's own settings),
and every outbound call – token endpoint included – goes to the local fake."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.confidential import assert_not_leaked
from tests.e2e.teams_server import CHANNEL, TENANT, Person, Server, command, revans_serve
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.openid_issuer import ISSUER, OpenIdIssuer, new_key

APP_ID = "00000000-0000-0000-0000-0000000a99id"
FARAH = Person("Farah")


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    openid = OpenIdIssuer()
    await openid.start()
    try:
        yield openid
    finally:
        await openid.stop()


@pytest.fixture
async def server(
    tmp_path: Path, fake: FakeConnector, issuer: OpenIdIssuer
) -> AsyncIterator[Server]:
    async with revans_serve(
        tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}",
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="app-secret-value",
        MICROSOFT_APP_TENANT_ID=TENANT,
        MICROSOFT_OPENID_METADATA_URL=issuer.metadata_url,
        MICROSOFT_TOKEN_ISSUER=ISSUER,
        MICROSOFT_LOGIN_URL=fake.url.rstrip("/"),
        NO_PROXY="127.0.0.1,localhost",
    ) as running:
        yield running


async def test_a_valid_token_is_accepted_and_replies_use_an_outbound_token(
    server: Server, fake: FakeConnector, issuer: OpenIdIssuer
) -> None:
    token = issuer.token(aud=APP_ID, serviceurl=fake.url)
    status = await server.post(command(FARAH, "create Ward", service_url=fake.url), token=token)
    assert status == 200
    records = await fake.wait_for(lambda rs: any(r.conversation_id == CHANNEL for r in rs))
    sent = next(r for r in records if r.conversation_id == CHANNEL)
    assert sent.authorization == "Bearer fake-outbound-token"
    assert fake.tokens_issued[0]["tenant"] == TENANT
    assert fake.tokens_issued[0]["client_id"] == APP_ID
    assert fake.tokens_issued[0]["grant_type"] == "client_credentials"
    assert issuer.metadata_requests >= 1
    logs = server.logs()
    assert "emulator mode" not in logs
    for secret in (token, "app-secret-value", "fake-outbound-token"):
        assert secret not in logs


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "malformed",
        "wrong audience",
        "wrong issuer",
        "expired",
        "unknown key",
        "wrong service url",
    ],
)
async def test_bad_tokens_are_refused_with_401(
    case: str, server: Server, fake: FakeConnector, issuer: OpenIdIssuer
) -> None:
    good = {"aud": APP_ID, "serviceurl": fake.url}
    tokens = {
        "missing": None,
        "malformed": "not.a.jwt",
        "wrong audience": issuer.token(**{**good, "aud": "someone-else"}),
        "wrong issuer": issuer.token(**{**good, "iss": "https://evil.example/"}),
        "expired": issuer.token(**good, exp=int(time.time()) - 3600),
        "unknown key": issuer.token(key=new_key(), **good),
        "wrong service url": issuer.token(**{**good, "serviceurl": "https://elsewhere/"}),
    }
    body = command(FARAH, "create Ward", service_url=fake.url)
    assert await server.post(body, token=tokens[case]) == 401
    # and nothing was done: the server still answers, and nothing went out
    assert await server.post(body, token=issuer.token(**good)) == 200
    await fake.wait_for(lambda rs: any(r.conversation_id == CHANNEL for r in rs))
    assert len([r for r in fake.records if r.conversation_id == CHANNEL]) == 1
    assert_not_leaked(server.logs(), "the Teams server's logs")
    assert "Traceback" not in server.logs()


async def test_a_signed_activity_posted_twice_is_handled_once(
    server: Server, fake: FakeConnector, issuer: OpenIdIssuer
) -> None:
    good = {"aud": APP_ID, "serviceurl": fake.url}
    body = command(FARAH, "create Ward", service_url=fake.url)
    assert await server.post(body) == 401, "unsigned: refused before the inbox is written"
    for _ in range(2):  # the Bot Connector redelivers with a fresh token
        assert await server.post(body, token=issuer.token(**good)) == 200
    members = command(FARAH, "members", service_url=fake.url)
    assert await server.post(members, token=issuer.token(**good)) == 200
    await fake.wait_for(lambda rs: any("has 1 person" in r.text for r in rs))
    assert len([r for r in fake.records if r.conversation_id == CHANNEL]) == 1
    assert not any("already" in r.text for r in fake.records)
    assert "redelivered activity acknowledged" in server.logs()

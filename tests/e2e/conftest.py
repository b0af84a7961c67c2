"""Fixtures the end-to-end scenarios share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.confidential import assert_not_leaked
from tests.e2e.slack_client import RevansServer, SlackSender
from tests.fakes.slack_web_api import FakeSlack, RunningFake


@pytest.fixture
async def slack(
    db_url: str, tmp_path: Path
) -> AsyncIterator[tuple[FakeSlack, RevansServer, SlackSender]]:
    """The real `revans serve` against the fake Slack Web API, and a signed sender; the
    server's logs must hold no set content and it must exit cleanly."""
    async with RunningFake(FakeSlack()) as fake, RevansServer(tmp_path, db_url, fake) as server:
        yield fake, server, SlackSender(server, fake)
    assert_not_leaked(server.output(), "the server's logs")
    assert server.returncode == 0, server.output()[-3000:]

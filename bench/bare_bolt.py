"""A bare slack-bolt app that only acknowledges slash commands: the baseline that
`bench/slack_ack.py --bare` measures Revans' acknowledgements against.

It verifies each request's signature as Bolt does and answers 200 from a listener that
only calls `ack()`; no database, no Web API call (its authorize returns a fixed token).
Served the way Revans serves Bolt: aiohttp, `to_bolt_request` → `async_dispatch` →
`to_aiohttp_response`.

    python bench/bare_bolt.py --port 3999
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.slack_client import SECRET


async def authorize(**_: Any) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=None, team_id="T0", bot_token="xoxb-bench")


def make_app(command: str = "/set") -> web.Application:
    bolt = AsyncApp(signing_secret=SECRET, authorize=authorize)

    async def only_ack(ack: Callable[[], Awaitable[None]]) -> None:
        await ack()

    bolt.command(command)(only_ack)

    async def events(request: web.Request) -> web.Response:
        response = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(make_app(), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()

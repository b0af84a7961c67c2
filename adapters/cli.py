"""The `revans` command line. Each subcommand parses its arguments and calls the
composition root; nothing is built at import time."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence

from adapters.config import Settings, http_mode, load_settings, socket_mode
from adapters.logs import configure_logging
from bot.errors import ConfigError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="revans", description="Revans runs action learning sets in Slack and Teams."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP server and the scheduler")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    serve.add_argument("--port", type=int, default=None, help="port (default: PORT or 3000)")
    serve.add_argument(
        "--socket-mode",
        action="store_true",
        help="take Slack's events over a WebSocket Revans opens (SLACK_APP_TOKEN, xapp-…): "
        "no public URL needed",
    )

    sub.add_parser("demo", help="run a simulated set cycle on the database and print it")
    console = sub.add_parser("console", help="chat with the core in this terminal")
    console.add_argument("--room", default="room", help="the console channel's name")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply all migrations")
    db_sub.add_parser("check", help="fail if models and migrations disagree")

    coach = sub.add_parser("coach", help="the question coach")
    coach_sub = coach.add_subparsers(dest="coach_command", required=True, metavar="ACTION")
    classify = coach_sub.add_parser(
        "classify",
        help="read utterances (one a line) on stdin, write JSON lines on stdout",
        description="Reads one utterance per line on stdin and writes one JSON object per line: "
        '{"text": ..., "kind": "open|closed|leading|advice|other", "suggestion": ...}.',
    )
    classify.add_argument("--language", default="en", help="language code (default en)")
    slack = sub.add_parser("slack", help="Slack app set-up")
    slack_sub = slack.add_subparsers(dest="slack_command", required=True, metavar="ACTION")
    slack_manifest = slack_sub.add_parser(
        "manifest", help="print the Slack app manifest (JSON) to create the app from"
    )
    slack_manifest.add_argument(
        "--url", type=_https_url, help="where Revans is served: https://HOST (HTTP mode)"
    )
    slack_manifest.add_argument(
        "--socket-mode",
        action="store_true",
        help="for `revans serve --socket-mode`: Socket Mode on, no request URLs",
    )
    teams = sub.add_parser("teams", help="Microsoft Teams app set-up")
    teams_sub = teams.add_subparsers(dest="teams_command", required=True, metavar="ACTION")
    teams_package = teams_sub.add_parser(
        "package", help="write the Teams app package (manifest.json and icons) to upload"
    )
    teams_package.add_argument(
        "--app-id", required=True, type=_teams("app_id"), help="the bot's Microsoft app id (GUID)"
    )
    teams_package.add_argument(
        "--host", type=_teams("host_name"), help="where Revans is served: HOST or https://HOST"
    )
    teams_package.add_argument(
        "--out", required=True, help="the zip to write, e.g. revans-teams.zip"
    )
    nudges = sub.add_parser("nudges", help="due work: what would be sent, what failed")
    nudges_sub = nudges.add_subparsers(dest="nudges_command", required=True, metavar="ACTION")
    due = nudges_sub.add_parser("due", help="what the scheduler would send by --at, unsent")
    due.add_argument("--at", required=True, type=_instant, help="ISO 8601, e.g. 2026-12-01T09:00Z")
    due.add_argument("--json", action="store_true", help="print JSON")
    failed = nudges_sub.add_parser("failed", help="due work parked after failing")
    failed.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _https_url(raw: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(raw.strip())
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/"):
        raise argparse.ArgumentTypeError(
            f"{raw!r} is not https://HOST (Slack calls only https; no path)"
        )
    return f"https://{parts.netloc}"


def _teams(check: str) -> Callable[[str], str]:
    def checked(raw: str) -> str:
        from adapters.teams import package

        try:
            result: str = getattr(package, check)(raw)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return result

    return checked


def _instant(raw: str) -> object:
    from adapters.nudges import parse_instant

    try:
        return parse_instant(raw)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "slack" and bool(args.url) == bool(args.socket_mode):
        parser.error("slack manifest needs either --url https://HOST or --socket-mode")
    if args.command == "coach":
        from adapters.coach_cli import classify_lines, tolerant

        return classify_lines(tolerant(sys.stdin), sys.stdout, language=args.language)
    if args.command == "teams":
        return write_teams_package(args.app_id, args.host, args.out)
    try:
        settings = load_settings()
        if args.command == "slack":
            return print_slack_manifest(args.url, settings.slack_command)
        if args.command == "serve":
            settings = socket_mode(settings) if args.socket_mode else http_mode(settings)
        configure_logging(settings.log_level)
        return asyncio.run(run(args, settings))
    except ConfigError as exc:  # at start-up: a setting, or a token Slack refuses
        print(f"revans: configuration error: {exc}", file=sys.stderr)
        return 2


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        from adapters.http.serve import serve

        await serve(settings, host=args.host, port=args.port or settings.port)
        return 0
    if args.command == "demo":
        return await run_demo(settings)
    if args.command == "console":
        return await run_console(settings, args.room)
    if args.command == "db":
        return await run_db(settings, args.db_command)
    if args.command == "nudges":
        return await run_nudges(settings, args)
    raise AssertionError(args.command)


def print_slack_manifest(url: str | None, command: str) -> int:
    import json

    from adapters.slack.manifest import manifest

    print(json.dumps(manifest(url=url, command=command), indent=2, ensure_ascii=False))
    return 0


def write_teams_package(app: str, host: str | None, out: str) -> int:
    from pathlib import Path

    from adapters.teams.package import package

    try:
        Path(out).write_bytes(package(app=app, host=host))
    except OSError as exc:
        print(f"revans: cannot write {out}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {out}: upload it in the Teams admin centre (Manage apps → Upload new app)")
    return 0


async def run_demo(settings: Settings) -> int:
    from adapters.bootstrap import open_runtime
    from adapters.console.demo import run_demo as play
    from adapters.console.time import ConsoleTime, ShiftableClock

    clock = ShiftableClock()  # the demo's meetings happen in simulated minutes and days
    async with open_runtime(settings, clock=clock) as runtime:
        await play(runtime.core, sys.stdout, time=ConsoleTime(runtime.core, runtime.engine, clock))
    return 0


async def run_console(settings: Settings, room: str) -> int:
    from adapters.bootstrap import open_runtime
    from adapters.console.session import ConsoleSession
    from adapters.console.time import ConsoleTime, ShiftableClock

    clock = ShiftableClock()
    async with open_runtime(settings, clock=clock) as runtime:
        time = ConsoleTime(runtime.core, runtime.engine, clock)
        session = ConsoleSession(runtime.core, sys.stdout, room=room, time=time)
        print(
            "Revans console. Type commands (`help`); `as NAME` switches speaker; "
            "`reply TEXT` writes in the round's thread; `wait 10m` lets time pass; Ctrl-D quits."
        )
        while True:
            try:
                line = await asyncio.to_thread(input, session.prompt)
            except EOFError:
                print()
                return 0
            await session.handle_line(line)


async def run_db(settings: Settings, action: str) -> int:
    from adapters.store import migrate

    if action == "upgrade":
        await asyncio.to_thread(migrate.upgrade, settings.database_url)
        print("database is up to date")
        return 0
    await asyncio.to_thread(migrate.check, settings.database_url)
    print("models and migrations agree")
    return 0


async def run_nudges(settings: Settings, args: argparse.Namespace) -> int:
    from adapters import nudges
    from adapters.bootstrap import open_runtime

    async with open_runtime(settings) as runtime:
        if args.nudges_command == "due":
            await nudges.show_due(runtime, args.at, sys.stdout, as_json=args.json)
        else:
            await nudges.show_failed(runtime, sys.stdout, as_json=args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

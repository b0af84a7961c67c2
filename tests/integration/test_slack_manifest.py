"""`revans slack manifest`: the least scopes the features use, and every event Revans
listens to, with Slack's own limits on the manifest's fields."""

from __future__ import annotations

import json

import pytest

from adapters.cli import main
from adapters.slack.app import EVENT_LISTENERS
from adapters.slack.manifest import SCOPES, SUBSCRIPTIONS, manifest

URL = "https://revans.example.org"


def test_the_scope_set_is_exactly_what_the_features_use() -> None:
    found = manifest(url=URL)["oauth_config"]["scopes"]["bot"]
    assert set(found) == {
        "commands",
        "app_mentions:read",
        "chat:write",
        "chat:write.public",
        "channels:history",
        "groups:history",
        "im:history",
        "im:write",
        "users:read",
        "files:write",
    }
    assert all(SCOPES[scope] for scope in found)  # each one says why


def test_every_event_a_handler_listens_to_is_subscribed() -> None:
    events = set(manifest(url=URL)["settings"]["event_subscriptions"]["bot_events"])
    for listened in EVENT_LISTENERS:
        assert set(SUBSCRIPTIONS[listened]) <= events, listened
    assert events == {
        "message.channels",
        "message.groups",
        "message.im",
        "app_mention",
        "app_uninstalled",
        "tokens_revoked",
        "app_home_opened",
    }


def test_every_request_goes_to_the_events_route_and_fields_fit_slacks_limits() -> None:
    found = manifest(url=URL, command="/als")
    endpoint = f"{URL}/slack/events"
    (command,) = found["features"]["slash_commands"]
    assert command["command"] == "/als" and command["url"] == endpoint
    assert command["should_escape"] is True  # mentions arrive as <@U…|name>
    assert found["settings"]["interactivity"] == {"is_enabled": True, "request_url": endpoint}
    assert found["settings"]["event_subscriptions"]["request_url"] == endpoint
    assert found["features"]["app_home"]["messages_tab_enabled"] is True
    assert found["features"]["app_home"]["home_tab_enabled"] is True  # the App Home
    info = found["display_information"]
    assert len(info["name"]) <= 35 and len(info["description"]) <= 140
    assert 174 <= len(info["long_description"]) <= 4000
    assert (
        len(command["description"]) <= 2000
        and len(found["features"]["bot_user"]["display_name"]) <= 80
    )


def test_the_cli_prints_json_and_refuses_a_url_slack_cannot_call(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.chdir(str(tmp_path))
    monkeypatch.setenv("SLACK_COMMAND", "/als")
    assert main(["slack", "manifest", "--url", "https://revans.example.org/"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == manifest(url=URL, command="/als")
    for bad in ("http://revans.example.org", "https://revans.example.org/slack", "revans"):
        with pytest.raises(SystemExit) as exited:
            main(["slack", "manifest", "--url", bad])
        assert exited.value.code == 2
        assert "https://HOST" in capsys.readouterr().err


def test_socket_mode_turns_it_on_and_has_no_request_urls(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.chdir(str(tmp_path))
    assert main(["slack", "manifest", "--socket-mode"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["settings"]["socket_mode_enabled"] is True
    assert "url" not in json.dumps(found).replace("_url", "")  # no url, no request_url
    assert found["settings"]["interactivity"] == {"is_enabled": True}
    over_http = manifest(url=URL)
    assert (
        found["settings"]["event_subscriptions"]["bot_events"]
        == (over_http["settings"]["event_subscriptions"]["bot_events"])
    )
    assert found["oauth_config"]["scopes"] == over_http["oauth_config"]["scopes"]
    assert over_http["oauth_config"]["redirect_urls"] == [f"{URL}/slack/oauth_redirect"]
    for neither_or_both in ([], ["--socket-mode", "--url", URL]):
        with pytest.raises(SystemExit) as exited:
            main(["slack", "manifest", *neither_or_both])
        assert exited.value.code == 2
        assert "--socket-mode" in capsys.readouterr().err

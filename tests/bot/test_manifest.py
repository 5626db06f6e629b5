"""The manifest can't drift from the app: same commands, scopes for every call made."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from bot.manifest import WEB_API_SCOPES, bot_scopes
from handlers import COMMANDS
from tests.conftest import DIRECTOR, GORE
from tests.harness.slack_requests import Slack

ROOT = Path(__file__).parents[2]
SCRIPT = str(Path(sys.executable).parent / "advisory-bot")


def _manifest(*args: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [SCRIPT, "manifest", *args], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def _sources() -> str:
    return "\n".join(
        p.read_text()
        for folder in ("bot", "handlers", "scheduler")
        for p in (ROOT / folder).rglob("*.py")
    )


def test_the_manifest_lists_exactly_the_registered_commands(slack: Slack) -> None:
    manifest = _manifest()
    listed = {c["command"] for c in manifest["features"]["slash_commands"]}
    registered = set(re.findall(r'on_command\(\s*app,\s*"(/[a-z]+)"', _sources()))
    assert listed == registered == set(COMMANDS)
    assert all(
        c["should_escape"] and c["usage_hint"] for c in manifest["features"]["slash_commands"]
    )
    for command in listed:  # each is answered by the running app...
        assert slack.command(command, "help", user=DIRECTOR, channel=GORE).status == 200
    # ...and one that isn't listed is not.
    assert slack.command("/frobnicate", "", user=DIRECTOR, channel=GORE).status == 404


def test_the_scopes_cover_every_web_api_call_and_no_more() -> None:
    called = set(re.findall(r"\bclient\.\s*([a-z][a-zA-Z_0-9]+)\(", _sources()))
    assert called <= set(WEB_API_SCOPES), called - set(WEB_API_SCOPES)
    needed = {"commands"} | {WEB_API_SCOPES[m] for m in called if WEB_API_SCOPES[m]}
    assert set(_manifest()["oauth_config"]["scopes"]["bot"]) == needed == set(bot_scopes())


def test_socket_mode_or_a_request_url() -> None:
    socket = _manifest()
    assert socket["settings"]["socket_mode_enabled"] is True
    assert socket["features"]["app_home"]["home_tab_enabled"] is True
    assert socket["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert socket["settings"]["interactivity"]["is_enabled"] is True
    http = _manifest("--url", "https://advisory.example.org/")
    assert http["settings"]["socket_mode_enabled"] is False
    url = "https://advisory.example.org/slack/events"
    assert http["settings"]["interactivity"]["request_url"] == url
    assert http["settings"]["event_subscriptions"]["request_url"] == url
    assert {c["url"] for c in http["features"]["slash_commands"]} == {url}

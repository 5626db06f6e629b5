"""The manifest can't drift from the app: same commands, scopes for every call made."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from bot.manifest import EVENT_SCOPES, WEB_API_SCOPES, bot_scopes, manifest
from handlers import FAMILIES
from handlers.events import CHANNEL_EVENTS
from tests.conftest import DIRECTOR, GORE
from tests.harness.processes import SCRIPT
from tests.harness.slack_requests import Slack

ROOT = Path(__file__).parents[2]


def _manifest(*args: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [SCRIPT, "manifest", *args], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def _sources() -> str:
    return "\n".join(
        p.read_text()
        for folder in ("bot", "handlers", "scheduler", "slack_api", "ui")
        for p in (ROOT / folder).rglob("*.py")
    )


def test_the_manifest_lists_exactly_the_registered_commands(slack: Slack) -> None:
    manifest = _manifest()
    listed = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert listed == {family.command for family in FAMILIES}
    assert {c["usage_hint"] for c in manifest["features"]["slash_commands"]} == {
        family.usage_hint() for family in FAMILIES
    }
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
    form_files = {"files:read"} if '"type": "file_input"' in _sources() else set()
    needed = (
        {"commands"}
        | form_files
        | {WEB_API_SCOPES[m] for m in called if WEB_API_SCOPES[m]}
        | {scope for scope in EVENT_SCOPES.values() if scope}
    )
    assert set(_manifest()["oauth_config"]["scopes"]["bot"]) == needed == set(bot_scopes())


def test_socket_mode_or_a_request_url() -> None:
    socket = _manifest()
    assert socket["settings"]["socket_mode_enabled"] is True
    assert socket["features"]["app_home"]["home_tab_enabled"] is True
    assert socket["settings"]["event_subscriptions"]["bot_events"] == list(EVENT_SCOPES)
    listened = set(re.findall(r'@app\.event\("([a-z_]+)"\)', _sources())) | set(CHANNEL_EVENTS)
    assert listened == set(EVENT_SCOPES)  # every event listened to is subscribed, and no more
    assert socket["settings"]["interactivity"]["is_enabled"] is True
    http = _manifest("--url", "https://advisory.example.org/")
    assert http["settings"]["socket_mode_enabled"] is False
    url = "https://advisory.example.org/slack/events"
    assert http["settings"]["interactivity"]["request_url"] == url
    assert http["settings"]["event_subscriptions"]["request_url"] == url
    assert {c["url"] for c in http["features"]["slash_commands"]} == {url}


SCRATCH_CHECK = """
from bot.manifest import manifest
from handlers.group import FAMILY
from handlers.tasks import FAMILY as TASKS

sub, words = FAMILY.route("wave warmly")
assert sub is not None and sub.name == "wave" and [w.text for w in words] == ["warmly"]
assert "/group wave" in FAMILY.help_message().text, FAMILY.help_message().text
hints = {c["command"]: c["usage_hint"] for c in manifest()["features"]["slash_commands"]}
assert "wave" in hints["/group"].strip("[]").split("|"), hints["/group"]
assert "wave" not in hints["/task"] and TASKS.route("list")[0].name == "list"
print("found")
"""


def test_a_subcommand_declared_once_is_routed_helped_and_in_the_manifest(
    tmp_path: Path,
) -> None:
    """In a scratch copy, one new entry in /group's registry and no other edit."""
    files = subprocess.run(
        ["git", "ls-files", "bot", "handlers", "models", "scheduler", "slack_api", "ui"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.split()
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    group = tmp_path / "handlers" / "group.py"
    source = group.read_text()
    entry = textwrap.indent(
        'Sub("wave", lambda asker, tokens: notice("Kia ora!"), '
        '(("/group wave", "Say hello to the group."),)),\n',
        " " * 8,
    )
    assert source.count("    subs=(\n") == 1
    group.write_text(source.replace("    subs=(\n", "    subs=(\n" + entry))
    done = subprocess.run(
        [sys.executable, "-c", SCRATCH_CHECK],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "found"


def test_the_readmes_command_tables_match_the_registry() -> None:
    """Every subcommand the registry declares is in the tables of the README and
    docs/commands.md, and every `/command word` the tables name is one the registry
    routes."""
    readme = (ROOT / "README.md").read_text() + (ROOT / "docs" / "commands.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| `/")]
    named = {
        (command, word.lower())
        for row in rows
        for command, word in re.findall(r"`(/[a-z]+) ([a-z][a-z-]*)\b", row.split(" | ")[0])
    }
    for family in FAMILIES:
        words = {w for sub in family.subs for w in (sub.name, *sub.aliases) if w}
        declared = {sub.name for sub in family.subs if sub.name}
        in_readme = {word for command, word in named if command == family.command}
        assert declared <= in_readme, (family.command, declared - in_readme)
        assert in_readme <= words, (family.command, in_readme - words)


def test_the_readmes_scopes_are_the_manifests_each_with_why() -> None:
    """An admin reads the README to approve the scopes: it lists exactly those the
    manifest asks for, each with a reason."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("<!-- scopes -->", 1)[1].split("<!-- /scopes -->", 1)[0]
    rows = [line.strip() for line in table.splitlines() if line.strip().startswith("| `")]
    listed = {row.split("`")[1]: row.rsplit("|", 2)[1].strip() for row in rows}
    assert sorted(listed) == bot_scopes()
    assert all(len(why) > 10 for why in listed.values()), listed


def test_a_deleted_private_channel_is_listened_to() -> None:
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert {"channel_deleted", "group_deleted", "group_archive", "group_left"} <= set(events)

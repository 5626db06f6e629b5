"""`advisory-bot` run as a real process: its script, a clean environment pointed at the
fake Slack and a test database, a free port, and waiting until it is healthy."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, SIGNING_SECRET

SCRIPT = str(Path(sys.executable).parent / "advisory-bot")
OUR_KEYS = ("SLACK_", "DATABASE_URL", "PORT", "TIMEZONE", "DIRECTOR_")


def clean_env(**values: str) -> dict[str, str]:
    """This process's environment without any of the bot's keys, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_KEYS)}
    return env | values


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_env(database: Database, fake_slack: FakeSlack, port: int, **values: str) -> dict[str, str]:
    """What `advisory-bot run` needs to serve on `port` against these test doubles."""
    ours = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
        "DATABASE_URL": database.url.render_as_string(hide_password=False),
        "PORT": str(port),
        "DIRECTOR_USER_IDS": DIRECTOR,
    }
    return clean_env(**(ours | values))


def wait_healthy(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                assert json.load(answer) == {"status": "ok", "database": "ok"}
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("advisory-bot run never became healthy")

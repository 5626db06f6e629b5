"""`advisory-bot` run as a real process: its script, a clean environment pointed at the
fake Slack and a test database, a free port, and waiting until it is healthy."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
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


# Tests run in several pytest-xdist workers at once. A port the kernel hands out and a
# probe gives back can be handed to another worker's bot before ours binds it, so each
# worker takes its ports from a block of its own, below the kernel's ephemeral range.
PORTS_PER_WORKER = 500
FIRST_PORT = 20_000
_next_port = itertools.count()


def free_port() -> int:
    """A port nobody is listening on, from this worker's own block."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = FIRST_PORT + int(worker or 0) * PORTS_PER_WORKER
    for _ in range(PORTS_PER_WORKER):
        port = start + next(_next_port) % PORTS_PER_WORKER
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}-{start + PORTS_PER_WORKER - 1}")


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


def run_bot(
    database: Database,
    fake_slack: FakeSlack,
    port: int,
    cwd: Path,
    *args: str,
    output: bool = False,
) -> subprocess.Popen[str]:
    """`advisory-bot run --no-reminders` on `port`, its output piped when `output`, in a
    process group of its own (gunicorn's master and its workers: `kill_service`)."""
    return subprocess.Popen(
        [SCRIPT, "run", "--host", "127.0.0.1", "--no-reminders", *args],
        start_new_session=True,
        cwd=cwd,
        env=bot_env(database, fake_slack, port),
        stdout=subprocess.PIPE if output else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
        text=True,
    )


def kill_service(process: subprocess.Popen[str]) -> None:
    """SIGKILL every process of the service at once, as systemd, the OOM killer or a host
    crash would: the master and all its workers, none given time to finish anything."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


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

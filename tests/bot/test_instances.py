"""`advisory-bot run` as production runs it: one ordinary process, or `--workers N`
identical instances on one port and one PostgreSQL database (gunicorn's workers), each
taking its share of Slack's requests; one killed is replaced, and nothing it acknowledged
is lost. SQLite serves one instance, and says so."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from sqlmodel import select

from models.db import Database
from models.tables import Task
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, SIGNING_SECRET
from tests.harness.processes import SCRIPT, bot_env, free_port, run_bot, wait_healthy
from tests.harness.slack_requests import Slack


def _workers(master: int) -> list[int]:
    """The processes gunicorn's master `master` runs."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == master:
            found.append(int(stat.parent.name))
    return found


def test_sqlite_serves_one_instance(
    database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    if database.url.get_backend_name() != "sqlite":
        return
    result = subprocess.run(
        [SCRIPT, "run", "--workers", "2"],
        cwd=tmp_path,
        env=bot_env(database, fake_slack, free_port()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SQLite serves one instance" in result.stderr and "Traceback" not in result.stderr


def test_workers_share_the_port_and_one_killed_is_replaced_losing_nothing(
    postgres_database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    process = run_bot(postgres_database, fake_slack, port, tmp_path, "--workers", "2", output=True)
    try:
        wait_healthy(port, process)
        deadline = time.monotonic() + 30
        while len(workers := _workers(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) == 2
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
        slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
        # A form body with the word for an interactive payload is read as the form it is.
        assert (
            "Payload review" in slack.say("/task add Payload review", user=LISA, channel=GORE).text
        )
        titles = [f"Kai for the kura {n}" for n in range(12)]
        for n, title in enumerate(titles):
            if n == 6:
                os.kill(workers[0], signal.SIGKILL)  # one instance dies; the other serves
            result = slack.command("/task", f"add {title}", user=LISA, channel=GORE, timeout=10)
            assert result.status == 200, result
        deadline = time.monotonic() + 15
        while len(_workers(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_workers(process.pid)) == 2  # the master started another
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with postgres_database.session(write=False) as session:
                made = session.exec(select(Task.title)).all()
            if set(titles) <= set(made):
                break
            time.sleep(0.1)
        assert set(titles) <= set(made)
        assert len(made) == len(set(made))  # none twice
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=90)
    assert process.returncode == 0, output

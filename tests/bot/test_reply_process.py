"""`advisory-bot run` makes its replies in a second process: one that stops is started
again, and what the first had acknowledged is made, once; what the second sees of Slack
reaches the first's `/healthz` and `/metrics`."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.metrics_core import Metric
from sqlmodel import select

from bot.reply_process import MOST_REPLY_PROCESSES, how_many
from models import metrics
from models.db import Database
from models.tables import Task
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, SIGNING_SECRET
from tests.harness.checks import wait_for_token_refused
from tests.harness.processes import free_port, run_bot, wait_healthy
from tests.harness.slack_requests import Slack


def reply_processes(pid: int) -> list[int]:
    """The processes `pid` started to make replies (not multiprocessing's own helper)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def bot(database: Database, fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Slack]:
    port = free_port()
    process = run_bot(database, fake_slack, port, tmp_path, output=True)
    try:
        wait_healthy(port, process)
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
        slack.pid = process.pid  # type: ignore[attr-defined]
        yield slack
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output


def test_a_reply_process_that_stops_is_started_again_and_makes_what_was_acked(
    bot: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    bot.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    pid: int = bot.pid  # type: ignore[attr-defined]
    first = reply_processes(pid)
    assert len(first) == how_many(str(database.url))
    for process in first:
        os.kill(process, signal.SIGKILL)
    result = bot.command("/task", "add Kai for the kura", user=LISA, channel=GORE)
    assert result.status == 200 and result.body == ""  # acked while no reply process ran
    assert result.hook is not None
    reply = fake_slack.wait_for("response_url", hook=result.hook, timeout=30)[0]
    assert "Kai for the kura" in reply.params["text"]
    deadline = time.monotonic() + 10
    while len(again := reply_processes(pid)) < len(first):
        assert time.monotonic() < deadline, "a reply process was not started again"
        time.sleep(0.1)
    assert not set(again) & set(first)
    assert "Kai for the kura" in bot.say("/task list", user=LISA, channel=GORE).text
    time.sleep(0.5)  # a second making, or a second reply, would have come by now
    with database.session(write=False) as session:
        assert session.exec(select(Task.title)).all() == ["Kai for the kura"]
    assert len([c for c in fake_slack.calls_to("response_url") if c.hook == result.hook]) == 1


def test_what_the_reply_process_sees_reaches_healthz_and_metrics(
    bot: Slack, fake_slack: FakeSlack
) -> None:
    bot.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    bot.say("/task add Kai for the kura", user=LISA, channel=GORE)
    # A form body with the word for an interactive payload is read as the form it is there
    # too (`bot.requests`).
    assert "Payload review" in bot.say("/task add Payload review", user=LISA, channel=GORE).text
    base = bot.events_url.rsplit("/slack/", 1)[0]
    counted = 'advisory_commands_total{name="/task add",outcome="done"} 2.0'
    deadline = time.monotonic() + 10  # the reply process reports every 2 s
    while True:
        with urllib.request.urlopen(base + "/metrics", timeout=5) as answer:
            if counted in answer.read().decode():
                break
        assert time.monotonic() < deadline, "/metrics never counted the command"
        time.sleep(0.1)
    fake_slack.revoke()
    bot.command("/task", "add One more", user=LISA, channel=GORE)  # App Home: refused
    wait_for_token_refused(base + "/healthz", timeout=10)


def test_postgresql_gets_a_reply_process_a_core_and_sqlite_one() -> None:
    """PostgreSQL's connections work side by side; SQLite takes one writer at a time."""
    cores = len(os.sched_getaffinity(0))
    assert how_many("postgresql://postgres@127.0.0.1/advisory") == min(cores, MOST_REPLY_PROCESSES)
    assert how_many("sqlite:///advisory.db") == 1


def test_metrics_add_up_what_every_reply_process_reported() -> None:
    line = 'advisory_commands_total{name="/task add",outcome="done"}'

    def reported(commands: float) -> list[Metric]:
        family = Metric("advisory_commands", "Commands", "counter")
        family.add_sample(
            "advisory_commands_total", {"name": "/task add", "outcome": "done"}, commands
        )
        return [family]

    def counted() -> float:
        rows = metrics.exposition()[0].decode().splitlines()
        return next((float(row.split()[-1]) for row in rows if row.startswith(line)), 0.0)

    own = counted()  # what this process counted itself, in earlier tests
    try:
        metrics.take_report(reported(2), source=7)
        metrics.take_report(reported(3), source=8)
        metrics.take_report(reported(4), source=7)  # the later report replaces the earlier
        assert counted() == own + 7
        metrics.take_report([], source=8)
        assert counted() == own + 4
    finally:
        metrics.take_report([], source=7)
        metrics.take_report([], source=8)

"""The `advisory-bot` console script, run as a real process."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, SIGNING_SECRET
from tests.harness.processes import SCRIPT, bot_env, clean_env, free_port, wait_healthy
from tests.harness.slack_requests import Slack
from tests.harness.socket_server import LoopbackSocketMode


def test_run_without_tokens_names_the_missing_keys(tmp_path: Path) -> None:
    done = subprocess.run(
        [SCRIPT, "run"], cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "Missing configuration: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET." in done.stderr
    assert "Traceback" not in done.stderr


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = subprocess.run(
        [SCRIPT, "db", "upgrade"],
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    assert (tmp_path / "fresh.db").exists()


def test_run_reports_an_unreachable_database_clearly(tmp_path: Path) -> None:
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-t",
        SLACK_SIGNING_SECRET="s",
        DATABASE_URL="postgresql://postgres@127.0.0.1:9/none?connect_timeout=2",
    )
    done = subprocess.run(
        [SCRIPT, "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert (
        "Can't bring the database at postgresql+psycopg://postgres@127.0.0.1:9/none" in done.stderr
    )
    assert "Traceback" not in done.stderr


@dataclass
class Running:
    process: subprocess.Popen[str]
    port: int
    socket_server: LoopbackSocketMode | None
    metrics_port: int | None = None


@pytest.fixture
def running(
    database: Database, fake_slack: FakeSlack, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Running]:
    """`advisory-bot run` in HTTP mode (or with param "socket", Socket Mode with its
    metrics on METRICS_PORT; "json", HTTP with JSON logs)."""
    port = free_port()
    env = bot_env(database, fake_slack, port, DIRECTOR_USER_IDS=f"{DIRECTOR},UOTHER")
    socket_server = None
    metrics_port = None
    kind = getattr(request, "param", "http")
    if kind == "socket":
        socket_server = LoopbackSocketMode().start()
        fake_slack.websocket_url = socket_server.url
        env["SLACK_APP_TOKEN"] = "xapp-1-test"
        metrics_port = free_port()
        env["METRICS_PORT"] = str(metrics_port)
    if kind == "json":
        env["LOG_FORMAT"] = "json"
    process = subprocess.Popen(
        [SCRIPT, "run", "--host", "127.0.0.1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        if socket_server is None:
            wait_healthy(port, process)
        else:
            socket_server.wait_connected(timeout=30)
        yield Running(process, port, socket_server, metrics_port)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        if socket_server is not None:
            socket_server.stop()
    assert process.returncode == 0, output
    assert "Traceback" not in output, output


def test_advisory_bot_run_in_http_mode(running: Running, fake_slack: FakeSlack) -> None:
    slack = Slack(f"http://127.0.0.1:{running.port}/slack/events", SIGNING_SECRET, fake_slack)
    setup = slack.say(
        f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE
    )
    assert "*Gore District*" in setup.text and f"<@{LISA}>" in setup.text
    added = slack.say(f'/group add <@{HEMI}|hemi> iwi "Hokonui Rūnanga"', user=LISA, channel=GORE)
    assert "Hokonui Rūnanga" in added.text
    listing = slack.say("/group list", user=LISA, channel=GORE)
    assert "*Iwi* (1)" in listing.text and f"<@{HEMI}>" in listing.text
    assert "*Social-service providers* (1)" not in listing.text
    refused = slack.say(f"/group add <@{ARO}|aro> council", user=HEMI, channel=GORE)
    assert refused.ephemeral
    assert "Only the lead of Gore District (<@ULISA>) or the Director" in refused.text
    assert (
        slack.post(
            b"command=/group", "application/x-www-form-urlencoded", signature="v0=forged"
        ).status
        == 401
    )


@pytest.mark.parametrize("running", ["socket"], indirect=True)
def test_advisory_bot_run_in_socket_mode(running: Running, fake_slack: FakeSlack) -> None:
    server = running.socket_server
    assert server is not None
    setup = server.say(
        fake_slack, f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE
    )
    assert "*Gore District*" in setup.text
    added = server.say(fake_slack, f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    assert f"<@{HEMI}>" in added.text
    listing = server.say(fake_slack, "/group list", user=HEMI, channel=GORE)
    assert "*Iwi* (1)" in listing.text
    refused = server.say(fake_slack, f"/group add <@{ARO}|aro> council", user=HEMI, channel=GORE)
    assert "Only the lead of Gore District" in refused.text
    assert fake_slack.calls_to("apps.connections.open")
    assert running.metrics_port is not None
    metrics = f"http://127.0.0.1:{running.metrics_port}/metrics"
    wanted = 'advisory_commands_total{name="/group add",outcome="refused"} 1.0'
    deadline = time.monotonic() + 10  # a reply is counted just after it is sent
    while True:
        with urllib.request.urlopen(metrics, timeout=10) as response:
            scraped = response.read().decode()
        if wanted in scraped or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert wanted in scraped
    assert "advisory_database_up 1.0" in scraped


@pytest.mark.parametrize("running", ["json"], indirect=True)
def test_json_logs_are_one_object_a_line_and_never_say_what_was_typed(
    running: Running, fake_slack: FakeSlack
) -> None:
    slack = Slack(f"http://127.0.0.1:{running.port}/slack/events", SIGNING_SECRET, fake_slack)
    slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    slack.say("/task add Confidential whānau matter due 15/12", user=LISA, channel=GORE)
    time.sleep(0.3)
    running.process.terminate()
    output, _ = running.process.communicate(timeout=20)
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    answered = [line for line in lines if line.get("command") == "/task add"]
    assert answered and answered[0]["user"] == LISA and answered[0]["outcome"] == "done"
    assert isinstance(answered[0]["duration_ms"], int)
    assert "Confidential" not in output and "whānau" not in output
    assert "xoxb" not in output and SIGNING_SECRET not in output


def test_what_people_type_never_reaches_the_log(running: Running, fake_slack: FakeSlack) -> None:
    slack = Slack(f"http://127.0.0.1:{running.port}/slack/events", SIGNING_SECRET, fake_slack)
    slack.say("/group setup Gore District", user=DIRECTOR, channel=GORE)
    slack.command("/frobnicate", "secret words from a person", user=LISA, channel=GORE)
    slack.post(
        b"text=also+secret&response_url=http://evil",
        "application/x-www-form-urlencoded",
        signature="v0=" + "0" * 64,
    )
    time.sleep(0.5)
    running.process.terminate()
    output, _ = running.process.communicate(timeout=20)
    assert "secret" not in output and "evil" not in output
    assert "Refused POST /slack/events: a signature that does not match" in output

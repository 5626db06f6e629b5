"""Strangers' idle connections cannot starve Slack: with 500 connections open that never
send a byte, a signed command to `advisory-bot run` is acknowledged at once, and the idle
ones are closed within seconds."""

from __future__ import annotations

import resource
import socket
import time
from pathlib import Path

from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, SIGNING_SECRET
from tests.harness.processes import free_port, kill_service, run_bot, wait_healthy
from tests.harness.slack_requests import Slack

IDLE = 500


def test_five_hundred_idle_connections_leave_the_ack_fast(
    database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    port = free_port()
    process = run_bot(database, fake_slack, port, tmp_path)
    idle: list[socket.socket] = []
    try:
        wait_healthy(port, process)
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
        slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(IDLE)]
        time.sleep(0.5)
        acks = [slack.command("/task", "list", user=LISA, channel=GORE) for _ in range(5)]
        assert [a.status for a in acks] == [200] * 5
        # About 5 ms on an idle machine: the bound is for a busy one.
        assert max(a.seconds for a in acks) < 1.0, [a.seconds for a in acks]
        # The server closes them: each reads the end of the stream within seconds.
        started = time.monotonic()
        for connection in idle:
            assert connection.recv(1) == b""
        assert time.monotonic() - started < 15
    finally:
        for connection in idle:
            connection.close()
        kill_service(process)

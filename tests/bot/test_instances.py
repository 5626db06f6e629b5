"""`advisory-bot run` as production runs it: identical instances, each one ordinary
process, sharing PORT on one machine (SO_REUSEPORT) and one PostgreSQL database. One
killed mid-burst loses nothing: a live one makes what it had acknowledged within 10 s,
none twice, no restart needed. SQLite serves one instance, and says so."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

from sqlmodel import select

from models.db import Database
from models.tables import Task
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, SIGNING_SECRET
from tests.harness.processes import (
    SCRIPT,
    bot_env,
    free_port,
    kill_service,
    run_bot,
    wait_healthy,
)
from tests.harness.slack_requests import Slack


def _titles(database: Database) -> list[str]:
    with database.session(write=False) as session:
        return list(session.exec(select(Task.title)).all())


def test_sqlite_serves_one_instance(
    database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    if database.url.get_backend_name() != "sqlite":
        return
    port = free_port()
    first = run_bot(database, fake_slack, port, tmp_path)
    try:
        wait_healthy(port, first)
        second = subprocess.run(
            [SCRIPT, "run", "--no-reminders"],
            cwd=tmp_path,
            env=bot_env(database, fake_slack, free_port()),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        first.terminate()
        first.wait(timeout=60)
    assert second.returncode != 0
    assert "SQLite serves one instance" in second.stderr and "Traceback" not in second.stderr


def test_a_live_instance_makes_what_a_killed_one_acknowledged(
    postgres_database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    instances = [run_bot(postgres_database, fake_slack, port, tmp_path) for _ in range(2)]
    try:
        for instance in instances:
            wait_healthy(port, instance)
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
        slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
        # A form body with the word for an interactive payload is read as the form it is.
        assert (
            "Payload review" in slack.say("/task add Payload review", user=LISA, channel=GORE).text
        )
        acked: list[str] = []
        lock, stop = threading.Lock(), threading.Event()

        def burst(client: int) -> None:
            for n in range(10_000):
                if stop.is_set():
                    return
                title = f"Kai for the kura {client}-{n}"
                try:
                    result = slack.command("/task", f"add {title}", user=LISA, channel=GORE)
                except OSError:
                    continue  # the connection went to the instance being killed
                if result.status == 200 and result.body == "":
                    with lock:
                        acked.append(title)

        clients = [threading.Thread(target=burst, args=(c,)) for c in range(6)]
        for client in clients:
            client.start()
        deadline = time.monotonic() + 30
        while len(acked) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        kill_service(instances[0])  # mid-burst; the other goes on serving
        killed = time.monotonic()
        time.sleep(0.5)
        stop.set()
        for client in clients:
            client.join(timeout=20)
        while time.monotonic() < killed + 10 and not set(acked) <= set(_titles(postgres_database)):
            time.sleep(0.1)
        taken_over_in = time.monotonic() - killed
        time.sleep(1)  # anything made twice would be by now
        made = _titles(postgres_database)
    finally:
        for instance in instances:
            kill_service(instance)
    assert len(acked) >= 40
    assert set(acked) <= set(made), sorted(set(acked) - set(made))[:5]
    assert len(made) == len(set(made))  # none twice
    assert taken_over_in < 10, taken_over_in

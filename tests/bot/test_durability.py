"""What the bot acknowledged is never lost: `advisory-bot run` killed (SIGKILL) in the
middle of a burst of writes from 8 clients; once it is back, every change it had acked is
made, and none twice."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

from sqlmodel import select

from models.db import Database
from models.tables import ProgressUpdate, Task
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, SIGNING_SECRET
from tests.harness.processes import free_port, run_bot, wait_healthy
from tests.harness.slack_requests import Slack

CLIENTS = 8


def _made(database: Database) -> tuple[list[str], list[str]]:
    with database.session(write=False) as session:
        return (
            list(session.exec(select(Task.title)).all()),
            list(session.exec(select(ProgressUpdate.text)).all()),
        )


def test_sigkill_during_a_burst_loses_no_acknowledged_change(
    database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    process = run_bot(database, fake_slack, port, tmp_path)
    try:
        wait_healthy(port, process)
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
        slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
        slack.say("/task add The first action", user=LISA, channel=GORE)
        acked_tasks: list[str] = []
        acked_updates: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()

        def burst(client: int) -> None:
            for n in range(10_000):
                if stop.is_set():
                    return
                title = f"Burst action {client}-{n}"
                text = f"Burst update {client}-{n}"
                for command, words, acked in (
                    ("/task", f"add {title}", acked_tasks),
                    ("/update", f"T-1 on-track {text}", acked_updates),
                ):
                    try:
                        result = slack.command(command, words, user=LISA, channel=GORE, timeout=5)
                    except OSError:
                        return  # the bot is gone
                    if result.status == 200 and result.body == "":
                        with lock:
                            acked.append(title if command == "/task" else text)

        threads = [threading.Thread(target=burst, args=(c,)) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30  # mid-burst: once enough has been acknowledged
        while time.monotonic() < deadline:
            with lock:
                if len(acked_tasks) > 20 and len(acked_updates) > 20:
                    break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert len(acked_tasks) > 20 and len(acked_updates) > 20, (acked_tasks, acked_updates)
    # The bot comes back and makes what it had acknowledged and not yet made.
    process = run_bot(database, fake_slack, port, tmp_path)
    try:
        wait_healthy(port, process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            titles, texts = _made(database)
            if set(acked_tasks) <= set(titles) and set(acked_updates) <= set(texts):
                break
            time.sleep(0.1)
        time.sleep(0.5)  # anything made twice would be made by now
    finally:
        process.terminate()
        process.wait(timeout=30)
    titles, texts = _made(database)
    assert set(acked_tasks) <= set(titles), sorted(set(acked_tasks) - set(titles))[:5]
    assert set(acked_updates) <= set(texts), sorted(set(acked_updates) - set(texts))[:5]
    assert len(titles) == len(set(titles)) and len(texts) == len(set(texts))

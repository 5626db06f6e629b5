"""What the bot acknowledged is never lost: every process of `advisory-bot run` killed
(SIGKILL) in the middle of a burst of writes from 8 clients; within 10 s of the restart
every change it had acked is made, none twice, and each person answered."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlmodel import select

from models.db import Database
from models.tables import ProgressUpdate, Task
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, SIGNING_SECRET
from tests.harness.processes import free_port, kill_service, run_bot, wait_healthy
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
        hooks: list[str] = []
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
                            hooks.append(result.hook)

        threads = [threading.Thread(target=burst, args=(c,)) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30  # mid-burst: once enough has been acknowledged
        while time.monotonic() < deadline:
            with lock:
                if len(acked_tasks) > 20 and len(acked_updates) > 20:
                    break
            time.sleep(0.05)
        kill_service(process)
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        kill_service(process)
    assert len(acked_tasks) > 20 and len(acked_updates) > 20, (acked_tasks, acked_updates)
    # The bot comes back and makes what it had acknowledged and not yet made, within 10 s.
    restarted = time.monotonic()
    process = run_bot(database, fake_slack, port, tmp_path)
    try:
        wait_healthy(port, process)
        while time.monotonic() < restarted + 10:
            titles, texts = _made(database)
            if set(acked_tasks) <= set(titles) and set(acked_updates) <= set(texts):
                break
            time.sleep(0.1)
        back_in = time.monotonic() - restarted
        time.sleep(1)  # anything made twice, or answered late, would be by now
    finally:
        process.terminate()
        process.wait(timeout=30)
    titles, texts = _made(database)
    assert set(acked_tasks) <= set(titles), sorted(set(acked_tasks) - set(titles))[:5]
    assert set(acked_updates) <= set(texts), sorted(set(acked_updates) - set(texts))[:5]
    assert len(titles) == len(set(titles)) and len(texts) == len(set(texts))
    assert back_in < 10, back_in
    answered = {call.hook for call in fake_slack.calls_to("response_url")}
    assert set(hooks) <= answered, len(set(hooks) - answered)

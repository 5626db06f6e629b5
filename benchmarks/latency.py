"""Slash-command latency over HTTP, memory and start-up.

`advisory-bot run` (waitress) on a database of 16 trials × 2,000 tasks × 5 updates, against
a bare Bolt app that only acks (benchmarks/bare_app.py), both served the same way: the
same server and adapter, and the ack in the request thread as advisory-bot does it. A
second bare app keeps Bolt's default (the listener in a pool, the request thread looking
for its ack every 10 ms), for comparison. For each command: the time to Slack's answer
(the ack, what Slack's 3-second limit is about), p50 and p99, sequential and with 16
concurrent clients, each client sending its next command once the last one's reply has
come; and, for advisory-bot, the time until its reply reached the response_url. Goals
(issue 8): p50 within 2× the bare app's, p99 under 250 ms; resident memory under 150 MB.

The fake Slack that takes advisory-bot's replies runs in this process, beside the
clients; the bare apps send none, so the clients' own timing is a little against us.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from models.db import Database  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from simulator.web_api import FakeSlack  # noqa: E402
from tests.harness import data  # noqa: E402
from tests.harness.processes import free_port  # noqa: E402
from tests.harness.slack_requests import Slack  # noqa: E402

SECRET = "benchmark-signing-secret"
LEAD, DIRECTOR, CHANNEL = "UTRIAL000", "UDIRECTOR", "CTRIAL00"
COMMANDS = [
    ("/task list", "/task", "list"),
    ("/task add", "/task", "add Benchmark action due 15/12"),
    ("/update", "/update", "T-1 on-track 50% Benchmark update"),
    ("/agenda", "/agenda", ""),
    ("/summary", "/summary", ""),
    ("/summary all", "/summary", "all"),
]
SCRIPT = str(Path(sys.executable).parent / "advisory-bot")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return time.monotonic() - started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("never became healthy")


def seed(url: str) -> None:
    """The benchmarks' programme: 16 trials × 2,000 tasks × 5 updates, in a database
    emptied first (a PostgreSQL one loses everything in its public schema)."""
    database = Database(url)
    if database.url.get_backend_name() == "postgresql":
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(database)
    with database.session() as session:
        data.programme(session, trials=16, tasks=2000, updates=5, today=date.today())
    if database.url.get_backend_name() == "postgresql":
        # As autovacuum would within a minute of so many rows: without the tables'
        # statistics the planner sorts a trial's every open task for a page of 15 (2.5 ms,
        # 0.7 ms with them), and the runs measured before and after it kicks in differ.
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    database.dispose()


def bot_env(url: str, fake: FakeSlack) -> dict[str, str]:
    """This environment without the bot's keys, pointed at `url` and the fake Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    return env | {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "DATABASE_URL": url,
        "DIRECTOR_USER_IDS": DIRECTOR,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(
    slack: Slack,
    command: str,
    text: str,
    user: str,
    count: int,
    clients: int,
    fake: FakeSlack | None,
) -> dict[str, float]:
    acks: list[float] = []
    replies: list[float] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for _ in range(n):
            started = time.monotonic()
            result = slack.command(command, text, user=user, channel=CHANNEL)
            ack = time.monotonic() - started
            reply = float("nan")
            if fake is not None and result.hook:
                call = fake.wait_for("response_url", hook=result.hook, timeout=30)[0]
                reply = max(0.0, call.at - started)  # the fake runs in this process
            with lock:
                acks.append(ack)
                replies.append(reply)

    threads = [threading.Thread(target=worker, args=(count // clients,)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    clean = [r for r in replies if r == r]
    return {
        "p50": statistics.median(acks) * 1000,
        "p99": percentile(acks, 0.99) * 1000,
        "reply_p50": statistics.median(clean) * 1000 if clean else float("nan"),
    }


def main(requests: int = 160) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'bench.db'}"
    seed(url)
    fake = FakeSlack().start()
    env = bot_env(url, fake)
    ours_port, bare_port, default_port = free_port(), free_port(), free_port()
    started = time.monotonic()
    ours = subprocess.Popen(
        [SCRIPT, "run", "--host", "127.0.0.1", "--no-reminders"],
        env=env | {"PORT": str(ours_port)},
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    bares = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "benchmarks" / "bare_app.py")],
            env=env | {"PORT": str(port), "BARE_ACK_IN_REQUEST": in_request},
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port, in_request in ((bare_port, "1"), (default_port, "0"))
    ]
    results: dict[str, Any] = {}
    try:
        wait_healthy(f"http://127.0.0.1:{ours_port}/healthz", ours)
        results["time_to_healthy_s"] = time.monotonic() - started
        time.sleep(1)  # let the bare apps come up too
        results["rss_idle_mb"] = rss_mb(ours.pid)
        slack_ours, slack_bare, slack_default = (
            Slack(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
            for port in (ours_port, bare_port, default_port)
        )
        for slack in (slack_ours, slack_bare, slack_default):  # warm up: auth.test, caches
            for _, command, text in COMMANDS[:1]:
                slack.command(command, text, user=LEAD, channel=CHANNEL)
        rows = {}
        for label, command, text in COMMANDS:
            user = DIRECTOR if text == "all" else LEAD
            row = {}
            for clients in (1, 16):
                row[f"ours_{clients}"] = run(
                    slack_ours, command, text, user, requests, clients, fake
                )
                row[f"bare_{clients}"] = run(
                    slack_bare, command, text, user, requests, clients, None
                )
                row[f"default_{clients}"] = run(
                    slack_default, command, text, user, requests, clients, None
                )
            rows[label] = row
        results["commands"] = rows
        results["rss_after_mb"] = rss_mb(ours.pid)
    finally:
        for process in (ours, *bares):
            process.terminate()
            process.wait(timeout=30)
        fake.stop()
    return results


def table(results: dict[str, Any]) -> str:
    lines = [
        f"{'':<22}{'advisory-bot':>20}{'bare app':>16}{'Bolt defaults':>18}",
        f"{'command':<14}{'clients':>8}{'p50':>9}{'p99':>9}{'reply':>9}{'p50':>9}{'ratio':>7}"
        f"{'p50':>9}{'ratio':>7}",
    ]
    for label, row in results["commands"].items():
        for clients in (1, 16):
            ours, bare = row[f"ours_{clients}"], row[f"bare_{clients}"]
            default = row[f"default_{clients}"]
            lines.append(
                f"{label:<14}{clients:>8}{ours['p50']:>7.1f}ms{ours['p99']:>7.1f}ms"
                f"{ours['reply_p50']:>7.0f}ms{bare['p50']:>7.1f}ms{ours['p50'] / bare['p50']:>7.2f}"
                f"{default['p50']:>7.1f}ms{ours['p50'] / default['p50']:>7.2f}"
            )
    lines.append(
        "p50 and p99: the ack; reply: until the reply reached the response_url (p50). "
        "Goals: p50 within 2× the bare app's, p99 under 250 ms."
    )
    lines.append(
        f"time to healthy {results['time_to_healthy_s']:.2f} s; resident memory "
        f"{results['rss_idle_mb']:.0f} MB idle, {results['rss_after_mb']:.0f} MB after "
        "the load (goal < 150 MB)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(main()))

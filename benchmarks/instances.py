"""Identical instances on one PostgreSQL database, one of them killed mid-way.

`python benchmarks/instances.py --database-url postgresql://…`: three `advisory-bot run`
processes share one port (the kernel spreads connections among them, as a round-robin
proxy would spread requests); 16 clients, each the lead of one trial in its channel, send
a mix of `/task add`, `/update`, Done clicks and new-task form submissions, 200 changes
in all; a third of the way through, one instance is killed with SIGKILL (its whole
process group, as the OOM killer would); one signed `/task add` is sent twice, the
second time to whichever instance the kernel picks. Afterwards it counts what was
acknowledged and never made, what was made twice, whether the replay made one task,
how many canvas edits each channel got against the windows its changes fell in, and how
many reminders went (each due one once). The database is emptied first.

Issue 32's goal: 0 lost, 0 made twice, the replay answered once, one canvas pass per
channel per window, every reminder once.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import select  # noqa: E402

from benchmarks.latency import SCRIPT, SECRET, bot_env, free_port, wait_healthy  # noqa: E402
from models.db import Database  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.tables import ProgressUpdate, Task  # noqa: E402
from simulator.web_api import FakeSlack  # noqa: E402
from tests.harness import data  # noqa: E402
from tests.harness.slack_requests import Interactions, Slack, sign  # noqa: E402
from ui.blocks import ids  # noqa: E402

INSTANCES = 3
CLIENTS = 16
CHANGES = 200
CANVAS_WINDOW = 10.0  # the bot's own window: changes within it make one canvas pass


def seed(url: str) -> list[tuple[str, str, int]]:
    """Sixteen trials, each with a lead, a channel and a task due today (its reminder):
    (lead, channel, task id) for each."""
    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(database)
    leads = []
    with database.session() as session:
        for n in range(CLIENTS):
            trial = data.trial(session, f"Trial {n}", channel=f"CTRIAL{n}")
            lead = data.member(session, trial, f"ULEAD{n}", role="lead")
            task = data.task(session, trial, lead, f"First action {n}", date.today())
            leads.append((lead.slack_user_id, f"CTRIAL{n}", int(task.id or 0)))
    database.dispose()
    return leads


def run(url: str) -> dict[str, Any]:
    leads = seed(url)
    fake = FakeSlack().start()
    port = free_port()
    env = bot_env(url, fake) | {"PORT": str(port)}
    folder = Path(tempfile.mkdtemp())
    bots = [
        subprocess.Popen(
            [SCRIPT, "run", "--host", "127.0.0.1"],  # reminders on: each sweeps
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(INSTANCES)
    ]
    slack = Slack(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
    clicks = Interactions(slack)
    acked_titles: list[str] = []
    acked_updates: list[str] = []
    acked_done: list[int] = []
    lock = threading.Lock()
    counter = itertools.count()
    try:
        for bot in bots:
            wait_healthy(f"http://127.0.0.1:{port}/healthz", bot)
        started = time.monotonic()  # from the first change a canvas shows...
        for user, channel, _task in leads:  # each channel's Action Plan canvas
            slack.say("/group canvas", user=user, channel=channel)
        view = _task_form(slack, fake, leads[0])
        kill_at = CHANGES // 3
        killed: list[float] = []

        def client(number: int) -> None:
            user, channel, first_task = leads[number]
            while (n := next(counter)) < CHANGES:
                if n == kill_at:
                    os.killpg(bots[0].pid, signal.SIGKILL)
                    killed.append(time.monotonic())
                title = f"Action {number}-{n}"
                try:
                    kind = n % 4
                    if kind == 0:
                        result = slack.command("/task", f"add {title}", user=user, channel=channel)
                        ok, acked = result.status == 200 and result.body == "", acked_titles
                    elif kind == 1:
                        words = f"T-{first_task} on-track Update {number}-{n}"
                        result = slack.command("/update", words, user=user, channel=channel)
                        ok, acked = result.status == 200 and result.body == "", acked_updates
                        title = f"Update {number}-{n}"
                    elif kind == 2:
                        button = {"action_id": ids.TASK_DONE, "type": "button"}
                        button["value"] = str(first_task)
                        result = clicks.click(button, user=user, channel=channel)
                        ok, acked = result.status == 200, acked_done
                    else:
                        form = {**view, "private_metadata": json.dumps({"trial": number + 1})}
                        answered = clicks.submit(form, {"title": title, "owner": user}, user=user)
                        ok, acked = answered == {}, acked_titles
                except (OSError, AssertionError):
                    continue  # a connection to the instance being killed
                if ok:
                    with lock:
                        acked.append(first_task if kind == 2 else title)  # type: ignore[arg-type]

        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        replayed = _replay(slack, fake, leads[1])
        deadline = (killed[0] if killed else time.monotonic()) + 10
        database = Database(url)
        while time.monotonic() < deadline and not _all_made(database, acked_titles, acked_updates):
            time.sleep(0.1)
        taken_over_in = time.monotonic() - killed[0] if killed else 0.0
        lasted = time.monotonic() - started  # ...to the last one made
        time.sleep(CANVAS_WINDOW + 3)  # the last canvas passes, and anything made twice
        with database.session(write=False) as session:
            titles = list(session.exec(select(Task.title)).all())
            updates = list(session.exec(select(ProgressUpdate.text)).all())
        database.dispose()
    finally:
        for bot in bots:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(bot.pid, signal.SIGTERM)
        for bot in bots:
            bot.wait(timeout=60)
        fake.stop()
    made = Counter(titles) + Counter(updates)
    acked = acked_titles + acked_updates
    edits = _passes(fake.calls_to("canvases.edit"))
    reminders = Counter(fake.delivered_reminders())
    return {
        "acknowledged": len(acked) + len(acked_done),
        "lost": len([a for a in acked if a not in made]),
        "made twice": len([a for a in acked if made[a] > 1]),
        "replay made": replayed(titles),
        "taken over in": taken_over_in,
        "canvas edits": edits,
        "windows": int(lasted // CANVAS_WINDOW) + 1,
        "reminders": reminders,
    }


def _task_form(slack: Slack, fake: FakeSlack, lead: tuple[str, str, int]) -> dict[str, Any]:
    """The new-task form, as the bot opens it for `/task add` alone."""
    user, channel, _task = lead
    slack.command("/task", "add", user=user, channel=channel)
    return fake.wait_for("views.open")[0].view


def _replay(slack: Slack, fake: FakeSlack, lead: tuple[str, str, int]) -> Any:
    """One signed `/task add` sent twice: how many tasks it made, once all is done."""
    user, channel, _task = lead
    title = "The replayed action"
    body = Slack.command_body(
        "/task", f"add {title}", user=user, channel=channel, response_url=fake.new_response_url()
    )
    now = int(time.time())
    signature = sign(SECRET, now, body)
    for _ in range(2):
        slack.post(body, "application/x-www-form-urlencoded", timestamp=now, signature=signature)
    return lambda titles: titles.count(title)


def _passes(edits: list[Any]) -> Counter[str]:
    """Canvas passes by canvas: a pass edits each section that changed, one call after
    another, so calls within two seconds of the last are one pass."""
    times: dict[str, list[float]] = {}
    for call in edits:
        times.setdefault(str(call.params.get("canvas_id")), []).append(call.at)
    return Counter(
        {
            canvas: 1 + sum(b - a > 2.0 for a, b in itertools.pairwise(sorted(at)))
            for canvas, at in times.items()
        }
    )


def _all_made(database: Database, titles: list[str], updates: list[str]) -> bool:
    with database.session(write=False) as session:
        made = set(session.exec(select(Task.title)).all())
        made |= set(session.exec(select(ProgressUpdate.text)).all())
    return set(titles) <= made and set(updates) <= made


def table(results: dict[str, Any]) -> str:
    edits: Counter[str] = results["canvas edits"]
    reminders: Counter[tuple[str, str, str]] = results["reminders"]
    return "\n".join(
        [
            f"Three instances on one PostgreSQL, one SIGKILLed after {CHANGES // 3} of "
            f"{CHANGES} changes ({CLIENTS} clients: commands, clicks, form submissions)",
            f"acknowledged                {results['acknowledged']}",
            f"lost                        {results['lost']}          (goal 0)",
            f"made twice                  {results['made twice']}          (goal 0)",
            f"the replay made             {results['replay made']} task     (goal 1)",
            f"taken over within           {results['taken over in']:.1f} s    (goal ≤ 10 s)",
            f"canvas passes a channel     {min(edits.values(), default=0)}–"
            f"{max(edits.values(), default=0)} ({len(edits)} channels; their changes fell in "
            f"{results['windows']} window(s) of {CANVAS_WINDOW:.0f} s: goal ≤ one each)",
            f"reminders sent              {sum(reminders.values())}, "
            f"{len([r for r in reminders.values() if r > 1])} more than once   (goal 0)",
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL URL (emptied)")
    print(table(run(parser.parse_args().database_url)))

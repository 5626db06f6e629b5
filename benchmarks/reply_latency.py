"""What people feel: the time from a slash command to its reply.

`advisory-bot run` (`--instances N` of it on one port, on PostgreSQL) on 16 trials × 2,000
tasks × 5 updates, SQLite by default or PostgreSQL with `--database-url`. 16 clients each
send a mix of everyday commands, the next once the last one's reply has come, timing the
ack (Slack's 3-second limit) and the reply at the response_url. Each client is the lead of
one trial, in its channel, as in the programme (client n: trial n mod 16); `--one-trial`
puts them all in one trial's channel, updating the same task. `--slack-answers-in 0.15`
has the fake Slack answer each call 150 ms after it arrives, as Slack does from across the
Pacific. Three runs:

- steady: the mix alone;
- with slow work: Slack's file uploads take 4 s each and `/summary export`s keep arriving
  beside the mix; every `/task add` form must open within 3 s (a trigger_id's life);
- 64 clients: the ack under a crowd, each client in a process of its own (as people's
  commands come through Slack on their own): one Python process timing 64 threads, and
  taking their replies, times its own wait for its interpreter too.
  `--crowd-processes 1` sends the crowd from this process, as before.

`--runs 3` makes the three runs in turn three times and pools their samples: this machine's
speed changes from minute to minute, and one run of each can land in different spells.

Goals (issue 14): reply p50 ≤ 150 ms and p99 ≤ 500 ms at 16 clients, steady; with slow
work, the everyday replies' p50 within 1.25× of steady, none missing, every form opened;
ack p99 under 100 ms at 64 clients.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from benchmarks.latency import (  # noqa: E402
    SCRIPT,
    SECRET,
    bot_env,
    free_port,
    percentile,
    seed,
    wait_healthy,
)
from models.db import Database  # noqa: E402
from models.tables import Task, Trial  # noqa: E402
from simulator.web_api import FakeSlack  # noqa: E402
from tests.harness.slack_requests import Slack  # noqa: E402

TRIALS = 16
# The everyday mix: what a group does in a week, reads outnumbering writes. {first} and
# {seventh} are the client's trial's first and seventh tasks.
MIX = [
    ("/task", "list"),
    ("/task", "list mine"),
    ("/task", "show T-{seventh}"),
    ("/group", "list"),
    ("/agenda", ""),
    ("/meeting", "list"),
    ("/deadline", "list"),
    ("/summary", ""),
    ("/task", "add Benchmark action due 15/12"),
    ("/update", "T-{first} on-track 50% Benchmark update"),
]
FORM = ("/task", "add")
EXPORT = ("/summary", "export")
SLOW_UPLOAD_SECONDS = 4.0
FORM_LIMIT_SECONDS = 3.0


@dataclass(frozen=True)
class Lead:
    """A trial's lead in its channel, and the trial's first task."""

    user: str
    channel: str
    first_task: int

    def words(self, text: str) -> str:
        return text.format(first=self.first_task, seventh=self.first_task + 6)


def leads(url: str) -> list[Lead]:
    """The seeded trials' leads (the harness names them UTRIAL000, UTRIAL010, ...)."""
    database = Database(url)
    with database.session(write=False) as session:
        firsts = dict(
            session.exec(
                select(Trial.channel_id, func.min(Task.id))
                .join(Task, col(Task.trial_id) == col(Trial.id))
                .group_by(col(Trial.channel_id))
            ).all()
        )
    database.dispose()
    return [
        Lead(f"UTRIAL{n:02d}0", f"CTRIAL{n:02d}", int(firsts[f"CTRIAL{n:02d}"] or 0))
        for n in range(TRIALS)
    ]


@dataclass
class Timings:
    acks: list[float] = field(default_factory=list)
    replies: list[float] = field(default_factory=list)
    by_command: dict[str, list[float]] = field(default_factory=dict)
    acks_by_command: dict[str, list[float]] = field(default_factory=dict)
    missing: int = 0
    forms: int = 0
    forms_opened: int = 0
    bot_cpu: float = 0.0  # seconds of CPU the bot used during the run
    load_cpu: float = 0.0  # ...and this process (the clients and the fake Slack)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, other: Timings) -> None:
        """Pool another run's samples with these (the percentiles are over all of them)."""
        self.acks += other.acks
        self.replies += other.replies
        for mine, theirs in (
            (self.by_command, other.by_command),
            (self.acks_by_command, other.acks_by_command),
        ):
            for name, times in theirs.items():
                mine.setdefault(name, []).extend(times)
        self.missing += other.missing
        self.forms += other.forms
        self.forms_opened += other.forms_opened
        self.bot_cpu += other.bot_cpu
        self.load_cpu += other.load_cpu

    def summary(self) -> dict[str, Any]:
        return {
            "count": len(self.acks),
            "ack_p50": percentile(self.acks, 0.5) * 1000,
            "ack_p99": percentile(self.acks, 0.99) * 1000,
            "reply_p50": percentile(self.replies, 0.5) * 1000 if self.replies else float("nan"),
            "reply_p99": percentile(self.replies, 0.99) * 1000 if self.replies else float("nan"),
            "missing": self.missing,
            "forms": self.forms,
            "forms_opened": self.forms_opened,
            "bot_cpu_ms": self.bot_cpu / max(1, len(self.acks)) * 1000,
            "load_cpu_ms": self.load_cpu / max(1, len(self.acks)) * 1000,
            "slowest": _slowest(self.by_command),
            "slowest_acks": _slowest(self.acks_by_command),
        }


def _slowest(by_command: dict[str, list[float]]) -> list[tuple[str, float]]:
    """The three commands with the highest p99, in ms."""
    p99s = ((name, percentile(times, 0.99) * 1000) for name, times in by_command.items())
    return sorted(p99s, key=lambda pair: -pair[1])[:3]


def client(
    slack: Slack, fake: FakeSlack, lead: Lead, commands: list[tuple[str, str]], out: Timings
) -> None:
    for command, text in commands:
        started = time.monotonic()
        words = lead.words(text)
        result = slack.command(command, words, user=lead.user, channel=lead.channel, timeout=30)
        ack = time.monotonic() - started
        assert result.hook is not None
        if (command, text) == FORM:
            try:
                call = fake.answer_to(result.hook, timeout=FORM_LIMIT_SECONDS * 2)
                opened = call.method == "views.open" and call.at - started <= FORM_LIMIT_SECONDS
            except AssertionError:
                opened = False
            with out.lock:
                out.acks.append(ack)
                out.forms += 1
                out.forms_opened += opened
            continue
        try:
            call = fake.wait_for("response_url", hook=result.hook, timeout=20)[0]
            reply: float | None = max(0.0, call.at - started)
        except AssertionError:
            reply = None
        verb = text.split(" ")[0]
        name = f"{command} {verb}" if verb.isalpha() else command  # /task list, /update
        with out.lock:
            out.acks.append(ack)
            out.acks_by_command.setdefault(name, []).append(ack)
            if reply is None:
                out.missing += 1
            else:
                out.replies.append(reply)
                out.by_command.setdefault(name, []).append(reply)


def load(
    slack: Slack,
    fake: FakeSlack,
    people: list[Lead],
    bots: list[subprocess.Popen[bytes]],
    clients: int,
    per_client: int,
    *,
    forms: bool,
) -> Timings:
    out = Timings()
    mix = [*MIX, FORM] if forms else MIX
    threads = []
    for n in range(clients):
        commands = list(itertools.islice(itertools.cycle(mix), n, n + per_client))
        lead = people[n % len(people)]
        threads.append(threading.Thread(target=client, args=(slack, fake, lead, commands, out)))
    bot_before, load_before = bots_cpu(bots), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.bot_cpu = bots_cpu(bots) - bot_before
    out.load_cpu = time.process_time() - load_before
    return out


def crowd_of_processes(
    events_url: str,
    people: list[Lead],
    bots: list[subprocess.Popen[bytes]],
    clients: int,
    per_client: int,
    processes: int,
) -> Timings:
    """`clients` sending the everyday mix from `processes` processes, each with a fake
    Slack of its own taking its clients' replies."""
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[dict[str, Any]] = context.Queue()
    ready = context.Barrier(processes + 1)
    share = clients // processes
    parts = [
        context.Process(
            target=crowd_part,
            args=(
                events_url,
                people,
                range(p * share, (p + 1) * share),
                per_client,
                ready,
                results,
            ),
        )
        for p in range(processes)
    ]
    for part in parts:
        part.start()
    ready.wait()
    bot_before = bots_cpu(bots)
    out = Timings()
    for _ in parts:
        done = results.get(timeout=600)
        out.add(Timings(**done))
    out.bot_cpu = bots_cpu(bots) - bot_before
    for part in parts:
        part.join()
    return out


def crowd_part(
    events_url: str,
    people: list[Lead],
    numbers: range,
    per_client: int,
    ready: Any,
    results: multiprocessing.Queue[dict[str, Any]],
) -> None:
    """One process's share of the crowd: clients `numbers` of it."""
    fake = FakeSlack().start()
    slack = Slack(events_url, SECRET, fake)
    out = Timings()
    threads = []
    for n in numbers:
        commands = list(itertools.islice(itertools.cycle(MIX), n, n + per_client))
        lead = people[n % len(people)]
        threads.append(threading.Thread(target=client, args=(slack, fake, lead, commands, out)))
    ready.wait()
    started = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fake.stop()
    results.put(
        {
            "acks": out.acks,
            "replies": out.replies,
            "by_command": out.by_command,
            "acks_by_command": out.acks_by_command,
            "missing": out.missing,
            "load_cpu": time.process_time() - started,
        }
    )


def bots_cpu(bots: list[subprocess.Popen[bytes]]) -> float:
    """The CPU time every instance of the bot has used."""
    return sum(cpu_seconds(bot.pid) for bot in bots)


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a process and the processes it started have used
    (the instances are plain processes: none starts others)."""
    ticks, parents = 0, {pid}
    for stat in sorted(Path("/proc").glob("[0-9]*/stat"), key=lambda p: int(p.parent.name)):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(stat.parent.name) in parents or int(fields[1]) in parents:
            parents.add(int(stat.parent.name))
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def exports_beside(slack: Slack, lead: Lead, stop: threading.Event) -> None:
    """Exports keep arriving (one a second) while the mix runs."""
    while not stop.is_set():
        slack.command(*EXPORT, user=lead.user, channel=lead.channel)
        stop.wait(1.0)


def main(
    database_url: str | None,
    per_client: int,
    *,
    one_trial: bool = False,
    slack_answers_in: float = 0.0,
    runs: int = 1,
    crowd_processes: int = 4,
    instances: int = 1,
) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp())
    url = database_url or f"sqlite:///{folder / 'bench.db'}"
    seed(url)
    people = leads(url)[:1] if one_trial else leads(url)
    fake = FakeSlack().start()
    fake.answer_after(slack_answers_in)
    port = free_port()
    env = bot_env(url, fake) | {"PORT": str(port)}
    bots = [
        subprocess.Popen(
            [SCRIPT, "run", "--host", "127.0.0.1", "--no-reminders"],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(instances)
    ]
    results: dict[str, Any] = {
        "database": "PostgreSQL" if database_url else "SQLite",
        "trials": len(people),
        "slack_answers_in": slack_answers_in,
        "runs": runs,
        "crowd_processes": crowd_processes,
        "instances": instances,
    }
    try:
        for bot in bots:
            wait_healthy(f"http://127.0.0.1:{port}/healthz", bot)
        slack = Slack(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
        load(slack, fake, people, bots, 4, 10, forms=False)  # warm up
        steady, slow, crowd = Timings(), Timings(), Timings()
        for run in range(runs):
            if run:
                time.sleep(SLOW_UPLOAD_SECONDS * 2)  # the last run's exports have finished
            steady.add(load(slack, fake, people, bots, 16, per_client, forms=True))
            fake.delay("files.completeUploadExternal", SLOW_UPLOAD_SECONDS)
            stop = threading.Event()
            beside = threading.Thread(target=exports_beside, args=(slack, people[0], stop))
            beside.start()
            time.sleep(1.0)  # the first exports are under way
            slow.add(load(slack, fake, people, bots, 16, per_client, forms=True))
            stop.set()
            beside.join()
            fake.delay("files.completeUploadExternal", 0.0)
            crowd_size, crowd_commands = 64, max(4, per_client // 2)
            if crowd_processes > 1:
                crowd.add(
                    crowd_of_processes(
                        slack.events_url, people, bots, crowd_size, crowd_commands, crowd_processes
                    )
                )
            else:
                crowd.add(load(slack, fake, people, bots, crowd_size, crowd_commands, forms=False))
        results["steady"], results["slow"] = steady.summary(), slow.summary()
        results["crowd"] = crowd.summary()
    finally:
        for bot in bots:
            bot.terminate()
        for bot in bots:
            bot.wait(timeout=60)
        fake.stop()
    return results


def table(results: dict[str, Any]) -> str:
    where = (
        "each client a trial's lead in its channel"
        if results["trials"] > 1
        else "every client in one trial's channel"
    )
    if results["slack_answers_in"]:
        where += f"; Slack answers in {results['slack_answers_in'] * 1000:.0f} ms"
    if results["runs"] > 1:
        where += f"; {results['runs']} runs of each, pooled"
    if results["instances"] > 1:
        where += f"; {results['instances']} instances on one port"
    lines = [
        f"Reply latency ({results['database']}, 16 trials × 2,000 tasks; {where})",
        f"{'run':<28}{'commands':>9}{'ack p50':>10}{'ack p99':>10}{'reply p50':>11}"
        f"{'reply p99':>11}{'missing':>9}{'forms':>9}{'bot CPU':>10}{'load CPU':>10}",
    ]
    labels = {
        "steady": "steady, 16 clients",
        "slow": "uploads 4 s + exports, 16",
        "crowd": f"steady, 64 clients ({results['crowd_processes']}p)",
    }
    for key, label in labels.items():
        row = results[key]
        forms = f"{row['forms_opened']}/{row['forms']}" if row["forms"] else "-"
        lines.append(
            f"{label:<28}{row['count']:>9}{row['ack_p50']:>8.1f}ms{row['ack_p99']:>8.1f}ms"
            f"{row['reply_p50']:>9.0f}ms{row['reply_p99']:>9.0f}ms{row['missing']:>9}{forms:>9}"
            f"{row['bot_cpu_ms']:>8.1f}ms{row['load_cpu_ms']:>8.1f}ms"
        )
    for key, label in labels.items():
        slowest = ", ".join(f"{name.strip()} {p99:.0f} ms" for name, p99 in results[key]["slowest"])
        lines.append(f"  reply p99 by command, {label}: {slowest}")
        slowest = ", ".join(
            f"{name.strip()} {p99:.0f} ms" for name, p99 in results[key]["slowest_acks"]
        )
        lines.append(f"  ack p99 by command, {label}: {slowest}")
    ratio = results["slow"]["reply_p50"] / results["steady"]["reply_p50"]
    lines.append(f"reply p50 with slow work / steady: {ratio:.2f}× (goal ≤ 1.25×)")
    lines.append(
        "CPU: per command, of the bot and of this process (the clients and the fake Slack),"
        " on the same cores."
    )
    lines.append(
        "Goals: reply p50 ≤ 150 ms, p99 ≤ 500 ms (steady, 16); none missing and every form "
        "opened within 3 s with slow work; ack p99 < 100 ms at 64 clients."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--per-client", type=int, default=22, help="commands per client")
    parser.add_argument(
        "--one-trial", action="store_true", help="every client in one trial's channel"
    )
    parser.add_argument(
        "--slack-answers-in",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="the fake Slack records each call as it arrives and answers this much later",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="repeat the three runs this many times, in turn, and pool their samples (this "
        "machine's speed changes from minute to minute)",
    )
    parser.add_argument(
        "--crowd-processes",
        type=int,
        default=64,
        help="send the 64 clients from this many processes (1: all from this one)",
    )
    parser.add_argument(
        "--instances",
        type=int,
        default=1,
        help="how many `advisory-bot run` share the port (the kernel spreads connections; "
        "PostgreSQL only)",
    )
    args = parser.parse_args()
    print(
        table(
            main(
                args.database_url,
                args.per_client,
                one_trial=args.one_trial,
                slack_answers_in=args.slack_answers_in,
                runs=args.runs,
                crowd_processes=args.crowd_processes,
                instances=args.instances,
            )
        )
    )

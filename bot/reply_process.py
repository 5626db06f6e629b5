"""The processes where replies are made, beside the one that answers Slack.

`advisory-bot run` answers Slack's requests in one process and makes the replies (and the
changes kept in the inbox) in others, which it starts and watches: one on SQLite, one a
core on PostgreSQL (`how_many`). An ack takes a millisecond of work, but it needs the
interpreter at several moments (the server taking the connection, reading it, the ack,
writing it back); in one process each of those moments waited its turn behind the
replies being built, so under a crowd Slack waited a tenth of a second or more for every
ack. Now nothing but acks competes for the first process's interpreter, and the reply
processes yield the cores to it when they are short.

The handoff is Bolt's own: a lazy listener's request goes to a reply process, as Bolt's
AWS Lambda adapter hands it to another invocation, with what its ack function left in the
context (the change's place in the inbox, a reply made before the ack). Each reply
process reports its counters and Slack's standing every few seconds, so `/metrics` and
`/healthz` in the first process show the work done in all of them. A reply process that
stops is started again; the changes it had not made are still in the inbox, and the
reply processes make them (`handlers.listeners.make_left_behind`), each once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import wait
from multiprocessing.process import parent_process
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner
from sqlalchemy.engine import make_url

from bot import logs
from bot.app import create_app
from bot.config import Mode, load_settings
from bot.requests import SlackRequest
from handlers.background import Background
from handlers.listeners import KEPT, LEFT_BEHIND_ROUNDS, PREPARED, RECEIVED
from models import metrics
from models.db import Database
from slack_api.refusals import SlackStanding

log = logging.getLogger("advisory_bot.replies")

# What an ack function leaves in the context for its lazy function (RECEIVED is of
# time.monotonic(), one clock for every process of the machine).
CONTEXT_KEYS = (PREPARED, RECEIVED, KEPT)
REPORT_SECONDS = 2.0
STOP_SECONDS = 60.0
MOST_REPLY_PROCESSES = 4
REPLY_NICENESS = 10  # the reply processes' scheduling priority (0 is the first process's)


@dataclass(frozen=True)
class Job:
    """A lazy listener's request, as the reply process needs it."""

    body: str | dict[str, Any]
    headers: dict[str, str | Sequence[str]]
    mode: str
    function: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Report:
    """What the reply process tells the first: its counters and Slack's word on the token."""

    families: list[Any]
    token_refused: str | None


class ToReplyProcess(LazyListenerRunner):
    """Bolt's lazy listeners, run in the reply processes."""

    def __init__(self, logger: logging.Logger, replies: ReplyProcesses) -> None:
        self.logger = logger
        self.replies = replies

    def start(self, function: Any, request: BoltRequest) -> None:
        body = request.raw_body if request.mode == "http" else request.body
        context = {key: request.context[key] for key in CONTEXT_KEYS if key in request.context}
        assert request.lazy_function_name is not None
        job = Job(body, dict(request.headers), request.mode, request.lazy_function_name, context)
        self.replies.put(job, by=request.context.channel_id or request.context.user_id or "")


def how_many(database_url: str) -> int:
    """How many reply processes to run: on PostgreSQL one a core (at most four), as its
    connections work side by side; on SQLite one, as it takes one writer at a time and
    its writers queue best within one process (across processes they meet its busy
    timeout, which lets newcomers overtake)."""
    if make_url(database_url).get_backend_name() == "sqlite":
        return 1
    return max(1, min(MOST_REPLY_PROCESSES, len(os.sched_getaffinity(0))))


class ReplyProcesses:
    """The reply processes, seen from the first: started, fed, watched and stopped.

    Each request goes to the process for its channel (or, with none, its person), so a
    trial's canvas edits and a person's App Home publishes are coalesced in one place.
    Each process gets queues of its own: one killed while it held a queue's lock would
    leave that queue locked for whoever read it next. What it had not yet taken is lost
    with it; a change among that is in the inbox, and is made from there."""

    def __init__(self, count: int = 1) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._lanes = [_Lane(number) for number in range(count)]
        self._standing: SlackStanding | None = None
        self._stopping = threading.Event()

    def put(self, job: Job, *, by: str) -> None:
        """Hand `job` to the process for `by` (a channel or a person)."""
        self._lanes[zlib.crc32(by.encode()) % len(self._lanes)].jobs.put(job)

    def start(self, *, standing: SlackStanding | None) -> ReplyProcesses:
        """Start them; Slack's refusal of the token, seen in any, is taken into `standing`
        (which `/healthz` and the reminder sweep read here)."""
        self._standing = standing
        for lane in self._lanes:
            self._spawn(lane)
        threading.Thread(target=self._watch, name="reply-processes", daemon=True).start()
        return self

    def _spawn(self, lane: _Lane) -> None:
        if lane.process is not None:
            lane.jobs = self._context.Queue()
        reports: multiprocessing.Queue[Report | None] = self._context.Queue()
        lane.process = self._context.Process(
            target=make_replies,
            args=(lane.jobs, reports),
            name=f"advisory-replies-{lane.number}",
        )
        lane.process.start()
        threading.Thread(
            target=self._read_reports, args=(lane.number, lane.process, reports), daemon=True
        ).start()

    def _watch(self) -> None:
        while not self._stopping.is_set():
            wait([lane.process.sentinel for lane in self._lanes], timeout=1.0)
            for lane in self._lanes:
                if lane.process.exitcode is not None and not self._stopping.is_set():
                    log.error(
                        "Reply process %s stopped (exit code %s); starting another",
                        lane.number,
                        lane.process.exitcode,
                    )
                    self._spawn(lane)

    def _read_reports(
        self, number: int, process: Any, reports: multiprocessing.Queue[Report | None]
    ) -> None:
        while True:
            try:
                report = reports.get(timeout=REPORT_SECONDS * 2)
            except queue.Empty:
                if process.exitcode is not None:
                    return
                continue
            if report is None:
                return
            metrics.take_report(report.families, source=number)
            standing, refused = self._standing, report.token_refused
            if standing is not None and refused is not None and standing.token_refused is None:
                standing.refused(refused)

    def stop(self) -> None:
        """Let them finish what they were handed (replies owed included), then end them."""
        self._stopping.set()
        for lane in self._lanes:
            lane.jobs.put(None)
        deadline = time.monotonic() + STOP_SECONDS
        for lane in self._lanes:
            lane.process.join(max(0.0, deadline - time.monotonic()))
            if lane.process.exitcode is None:
                log.error("Reply process %s did not finish in time; ending it", lane.number)
                lane.process.kill()


@dataclass
class _Lane:
    """One reply process and the queue that feeds it."""

    number: int
    jobs: multiprocessing.Queue[Job | None] = field(
        default_factory=lambda: multiprocessing.get_context("spawn").Queue()
    )
    process: Any = None


def make_replies(jobs: multiprocessing.Queue[Job | None], reports: Any) -> None:
    """The reply process: the same app, making what the first process acknowledged."""
    # Stopping is the first process's to decide: it hands over what is owed first.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Acks first: Slack gives an ack 3 s and shows the person an error when it is late,
    # while a reply a few milliseconds later goes unnoticed. When the cores are short, the
    # system gives them to the first process before these.
    os.nice(REPLY_NICENESS)
    settings = load_settings(Mode.HTTP)
    logs.configure(log_format=settings.log_format, level=settings.log_level)
    database = Database(settings.database_url)
    background = Background()
    app = create_app(
        settings,
        database=database,
        background=background,
        verify_requests=False,  # what comes here was checked by the first process
        # Each makes what a stopped bot (or reply process) left; each change once.
        left_behind_every=LEFT_BEHIND_ROUNDS,
    )
    done = threading.Event()
    threading.Thread(target=_report, args=(app, reports, done), daemon=True).start()
    threading.Thread(target=_end_with_parent, args=(jobs,), daemon=True).start()
    while (job := jobs.get()) is not None:
        background.soon(partial(_run, app, job))
    background.shutdown()
    done.set()
    reports.put(_report_now(app))
    reports.put(None)
    database.dispose()


def _run(app: App, job: Job) -> None:
    headers: dict[str, str | Sequence[str]] = job.headers | {
        "x-slack-bolt-lazy-only": ["1"],
        "x-slack-bolt-lazy-function-name": [job.function],
    }
    app.dispatch(SlackRequest(body=job.body, headers=headers, context=job.context, mode=job.mode))


def _report_now(app: App) -> Report:
    standing = getattr(app.client, "standing", None)
    return Report(metrics.report(), getattr(standing, "token_refused", None))


def _report(app: App, reports: Any, done: threading.Event) -> None:
    while not done.wait(REPORT_SECONDS):
        reports.put(_report_now(app))


def _end_with_parent(jobs: multiprocessing.Queue[Job | None]) -> None:
    """The first process gone (killed): finish what was handed over, then end."""
    parent = parent_process()
    if parent is not None:
        wait([parent.sentinel])
        jobs.put(None)

"""The process where replies are made, beside the one that answers Slack.

`advisory-bot run` answers Slack's requests in one process and makes the replies (and the
changes kept in the inbox) in a second, which it starts and watches. An ack takes a
millisecond of work, but it needs the interpreter at several moments (the server taking
the connection, reading it, the ack, writing it back); in one process each of those
moments waited its turn behind the replies being built, so under a crowd Slack waited a
tenth of a second or more for every ack. Now nothing but acks competes for the first
process's interpreter.

The handoff is Bolt's own: a lazy listener's request goes to the other process, as
Bolt's AWS Lambda adapter hands it to another invocation, with what its ack function left
in the context (the change's place in the inbox, a reply made before the ack). The reply
process reports its counters and Slack's standing every few seconds, so `/metrics` and
`/healthz` in the first process show the work done in both. A reply process that stops
is started again; the changes it had not made are still in the inbox, and its successor
makes them when it starts.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import wait
from multiprocessing.process import parent_process
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner

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
    """Bolt's lazy listeners, run in the reply process."""

    def __init__(self, logger: logging.Logger, replies: ReplyProcess) -> None:
        self.logger = logger
        self.replies = replies

    def start(self, function: Any, request: BoltRequest) -> None:
        body = request.raw_body if request.mode == "http" else request.body
        context = {key: request.context[key] for key in CONTEXT_KEYS if key in request.context}
        assert request.lazy_function_name is not None
        self.replies.jobs.put(
            Job(body, dict(request.headers), request.mode, request.lazy_function_name, context)
        )


class ReplyProcess:
    """The reply process, seen from the first: started, fed, watched and stopped.

    Each reply process gets queues of its own: one killed while it held a queue's lock
    would leave that queue locked for its successor. What it had not yet taken is lost
    with it; a change among that is in the inbox, and its successor makes it."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")
        self.jobs: multiprocessing.Queue[Job | None] = self._context.Queue()
        self._process: Any = None
        self._standing: SlackStanding | None = None
        self._stopping = threading.Event()

    def start(self, *, standing: SlackStanding | None) -> ReplyProcess:
        """Start it; Slack's refusal of the token, seen there, is taken into `standing`
        (which `/healthz` and the reminder sweep read here)."""
        self._standing = standing
        self._spawn()
        threading.Thread(target=self._watch, name="reply-process", daemon=True).start()
        return self

    def _spawn(self) -> None:
        if self._process is not None:
            self.jobs = self._context.Queue()
        reports: multiprocessing.Queue[Report | None] = self._context.Queue()
        self._process = self._context.Process(
            target=make_replies, args=(self.jobs, reports), name="advisory-replies"
        )
        self._process.start()
        threading.Thread(
            target=self._read_reports, args=(self._process, reports), daemon=True
        ).start()

    def _watch(self) -> None:
        while not self._stopping.is_set():
            self._process.join(1.0)
            if self._process.exitcode is not None and not self._stopping.is_set():
                log.error(
                    "The reply process stopped (exit code %s); starting another",
                    self._process.exitcode,
                )
                self._spawn()

    def _read_reports(self, process: Any, reports: multiprocessing.Queue[Report | None]) -> None:
        while True:
            try:
                report = reports.get(timeout=REPORT_SECONDS * 2)
            except queue.Empty:
                if process.exitcode is not None:
                    return
                continue
            if report is None:
                return
            metrics.take_report(report.families)
            standing, refused = self._standing, report.token_refused
            if standing is not None and refused is not None and standing.token_refused is None:
                standing.refused(refused)

    def stop(self) -> None:
        """Let it finish what it was handed (replies owed included), then end it."""
        self._stopping.set()
        self.jobs.put(None)
        self._process.join(STOP_SECONDS)
        if self._process.exitcode is None:
            log.error("The reply process did not finish in %.0f s; ending it", STOP_SECONDS)
            self._process.kill()


def make_replies(jobs: multiprocessing.Queue[Job | None], reports: Any) -> None:
    """The reply process: the same app, making what the first process acknowledged."""
    # Stopping is the first process's to decide: it hands over what is owed first.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    settings = load_settings(Mode.HTTP)
    logs.configure(log_format=settings.log_format, level=settings.log_level)
    database = Database(settings.database_url)
    background = Background()
    app = create_app(
        settings,
        database=database,
        background=background,
        verify_requests=False,  # what comes here was checked by the first process
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

"""APScheduler wiring: the sweep every minute inside `advisory-bot run`.

APScheduler 3's job store must never be shared between processes, so each process keeps
its own in-memory schedule; the database ledger alone decides who sends what.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient

from models import retention
from models.db import Database
from models.programme import Programme
from models.types import utcnow
from scheduler.sweep import process_name, sweep
from slack_api.canvases import refresh_all

log = logging.getLogger("advisory_bot.scheduler")

SWEEP_SECONDS = 60
MISFIRE_GRACE_SECONDS = 50


class Reminders:
    """The running schedule; `stop()` ends a sweep in progress between two messages."""

    def __init__(self, scheduler: BackgroundScheduler, stopping: threading.Event) -> None:
        self.scheduler = scheduler
        self.stopping = stopping

    def stop(self) -> None:
        self.stopping.set()
        self.scheduler.shutdown(wait=True)


def start(
    *,
    database: Database,
    client: WebClient,
    settings: Programme,
    clock: Callable[[], datetime] = utcnow,
) -> Reminders:
    """Start sweeping every minute: missed runs coalesce into one, one sweep at a time."""
    me = process_name()
    stopping = threading.Event()

    def run_sweep() -> None:
        result = sweep(
            now=clock(), database=database, client=client, settings=settings, me=me, stop=stopping
        )
        if result.sent or result.failed or result.missed:
            log.info(
                "Reminder sweep: %s sent, %s failed (to retry), %s missed, %s taken.",
                result.sent,
                result.failed,
                result.missed,
                result.taken,
            )

    scheduler = BackgroundScheduler(
        timezone=settings.tz,
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        },
    )
    scheduler.add_job(
        run_sweep,
        "interval",
        seconds=SWEEP_SECONDS,
        id="reminder-sweep",
        next_run_time=datetime.now(settings.tz),  # the first sweep right away
    )
    scheduler.add_job(
        lambda: refresh_all(client=client, database=database, now=clock(), tz=settings.tz),
        "cron",
        hour=0,
        minute=5,
        id="canvas-refresh",  # "overdue" changes with the date, not only with a change
    )

    def prune_old() -> None:
        days = int(getattr(settings, "retention_ledger_days", retention.LEDGER_DAYS))
        with database.session() as session:
            receipts, ledger = retention.prune(session=session, now=clock(), ledger_days=days)
        if receipts or ledger:
            log.info("Pruned %s event receipts and %s reminder ledger rows.", receipts, ledger)

    scheduler.add_job(prune_old, "cron", hour=0, minute=15, id="retention")
    scheduler.start()
    return Reminders(scheduler, stopping)

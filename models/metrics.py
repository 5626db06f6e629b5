"""What the bot counts, for Prometheus (`prometheus_client`, its default registry): every
floor reports here, `GET /metrics` reads it. Labels are names and outcomes, never what
anyone typed."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

COMMANDS = Counter(
    "advisory_commands",
    "Slash commands and clicks answered, by name and outcome (done, refused, failed)",
    ["name", "outcome"],
)
REPLY_SECONDS = Histogram(
    "advisory_reply_seconds",
    "From a command or click reaching the bot to its reply being sent",
    ["kind"],
    buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0),
)
REMINDERS = Counter(
    "advisory_reminders",
    "Reminders by kind and result (sent, failed, missed, rerouted, refused, held, obsolete)",
    ["kind", "result"],
)
REMINDER_BACKLOG = Gauge(
    "advisory_reminder_backlog",
    "Reminders due and not sent after the last sweep (failed or held for the next one)",
)
SLACK_CALLS = Counter(
    "advisory_slack_calls",
    "Slack Web API calls by method and result (ok, ratelimited, or Slack's error name)",
    ["method", "result"],
)
CANVAS_EDITS = Counter("advisory_canvas_edits", "Channel canvas edits by result", ["result"])
DATABASE_UP = Gauge("advisory_database_up", "1 when the database answers, else 0")
SLACK_UP = Gauge("advisory_slack_up", "1 while Slack accepts the bot's token, else 0")


def watch(database_ok: Callable[[], bool], slack_ok: Callable[[], bool]) -> None:
    """Read the database's and Slack's state when scraped (the newest app's)."""
    DATABASE_UP.set_function(lambda: 1.0 if database_ok() else 0.0)
    SLACK_UP.set_function(lambda: 1.0 if slack_ok() else 0.0)


def answered(name: str, outcome: str, seconds: float | None, *, kind: str) -> None:
    """One command or click answered, and how long its reply took."""
    COMMANDS.labels(name=name, outcome=outcome).inc()
    if seconds is not None:
        REPLY_SECONDS.labels(kind=kind).observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, with its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST

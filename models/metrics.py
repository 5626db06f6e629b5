"""What the bot counts, for Prometheus (`prometheus_client`, its default registry): every
floor reports here, `GET /metrics` reads it. Labels are names and outcomes, never what
anyone typed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.metrics_core import Metric

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


# Counters and histograms the other processes of this bot reported (`take_report`), by
# process, then by name.
_reported: dict[int, dict[str, Metric]] = {}


def report() -> list[Metric]:
    """This process's counters and histograms, for the process that serves /metrics."""
    return [family for family in REGISTRY.collect() if family.type in ("counter", "histogram")]


def take_report(families: list[Metric], *, source: int = 0) -> None:
    """Another process's counters and histograms (the `source`th), as it last reported
    them: /metrics adds them to this process's own."""
    _reported[source] = {family.name: family for family in families}


class _Together:
    """This process's metrics with those reported to it, each sample added up."""

    def collect(self) -> Iterator[Metric]:
        together = {family.name: family for family in REGISTRY.collect()}
        for reported in list(_reported.values()):
            for name, family in reported.items():
                mine = together.get(name)
                together[name] = _added(mine, family) if mine is not None else family
        yield from together.values()


def _added(mine: Metric, other: Metric) -> Metric:
    total: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for sample in (*mine.samples, *other.samples):
        if sample.name.endswith("_created"):
            continue  # when each series began: not a quantity to add
        key = (sample.name, tuple(sorted(sample.labels.items())))
        total[key] = total.get(key, 0.0) + sample.value
    together = Metric(mine.name, mine.documentation, mine.type, mine.unit)
    for (name, labels), value in total.items():
        together.add_sample(name, dict(labels), value)
    return together


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, with its content type."""
    return generate_latest(_Together()), CONTENT_TYPE_LATEST  # type: ignore[arg-type]

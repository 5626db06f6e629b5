"""GET /metrics (Prometheus' text format) counts what an operator watches: commands by
outcome, reply latency, reminders by result, Slack calls by result, and whether the
database and Slack are reachable."""

from __future__ import annotations

import time
import urllib.request
from datetime import datetime

from prometheus_client.parser import text_string_to_metric_families

from bot.app import make_client
from bot.config import Settings
from bot.server import EVENTS_PATH
from models.db import Database
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import GORE, LISA, NZ
from tests.harness.slack_requests import Slack

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(slack: Slack) -> Samples:
    url = slack.events_url.replace(EVENTS_PATH, "/metrics")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, metric: str, **labels: str) -> float:
    return samples.get((metric, tuple(sorted(labels.items()))), 0.0)


def test_commands_refusals_reminders_and_rate_limits_are_counted(
    gore: Slack, served_slack: Slack, database: Database, fake_slack: FakeSlack, settings: Settings
) -> None:
    before = scrape(served_slack)
    served_slack.say("/task add Hire a truancy officer due 17/12", user=LISA, channel=GORE)
    served_slack.say("/task show T-99", user=LISA, channel=GORE)  # no such task: refused
    fake_slack.fail("chat.postMessage", 429, retry_after=1)  # Slack asks the next to wait
    sweep(
        now=datetime(2026, 12, 14, 9, 5, tzinfo=NZ),
        database=database,
        client=make_client(settings),
        settings=settings,
        me="test",
    )
    after = scrape(served_slack)

    def grew(metric: str, **labels: str) -> float:
        return value(after, metric, **labels) - value(before, metric, **labels)

    deadline = time.monotonic() + 10  # a reply is counted just after it is sent
    while grew("advisory_reply_seconds_count", kind="command") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
        after = scrape(served_slack)

    assert grew("advisory_commands_total", name="/task add", outcome="done") == 1
    assert grew("advisory_commands_total", name="/task show", outcome="refused") == 1
    assert grew("advisory_reply_seconds_count", kind="command") == 2
    assert grew("advisory_reminders_total", kind="task", result="sent") == 1  # three days before
    assert grew("advisory_slack_calls_total", method="chat.postMessage", result="ratelimited") == 1
    assert grew("advisory_slack_calls_total", method="chat.postMessage", result="ok") >= 1
    assert value(after, "advisory_database_up") == 1 and value(after, "advisory_slack_up") == 1
    assert value(after, "advisory_reminder_backlog") == 0
    assert not [key for key in after if "truancy" in str(key).lower()]  # names, never text

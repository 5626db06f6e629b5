"""GET /metrics (Prometheus' text format) counts what an operator watches: commands by
outcome, reply latency, reminders by result, Slack calls by result, and whether the
database and Slack are reachable."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import datetime

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import create_app, make_client
from bot.config import Settings
from bot.server import EVENTS_PATH
from models.db import Database
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import GORE, LISA, METRICS_TOKEN, NZ, SIGNING_SECRET
from tests.harness.serving import serving
from tests.harness.slack_requests import Interactions, Slack

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(slack: Slack) -> Samples:
    url = slack.events_url.replace(EVENTS_PATH, "/metrics")
    asked = urllib.request.Request(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    with urllib.request.urlopen(asked, timeout=10) as response:
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


def test_metrics_on_the_public_port_only_to_the_operators_bearer(served_slack: Slack) -> None:
    url = served_slack.events_url.replace(EVENTS_PATH, "/metrics")
    for headers in ({}, {"Authorization": "Bearer guess"}, {"Authorization": METRICS_TOKEN}):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10)
        assert refused.value.code == 401
        assert refused.value.headers["WWW-Authenticate"] == "Bearer"
    assert scrape(served_slack)  # with the token


def test_metrics_on_the_public_port_are_not_served_without_a_token(
    settings: Settings, database: Database
) -> None:
    app = create_app(settings, database=database)
    with (
        serving(app, database, SIGNING_SECRET) as base_url,
        pytest.raises(urllib.error.HTTPError) as refused,
    ):
        urllib.request.urlopen(base_url + "/metrics", timeout=10)
    assert refused.value.code == 404


def test_made_up_action_ids_add_no_series(
    gore: Slack, served_slack: Slack, fake_slack: FakeSlack
) -> None:
    clicks = Interactions(served_slack)
    before = scrape(served_slack)
    for n in range(20):  # ids no button has, and ids only a button's pattern matches
        for made_up in (f"made_up_{n}", f"task_status_made_up_{n}"):
            clicks.click({"action_id": made_up, "type": "button"}, user=LISA, channel=GORE)
    after = scrape(served_slack)
    assert not any("made_up" in str(key) for key in after), [k for k in after if "made" in str(k)]
    names = {dict(labels).get("name") for _metric, labels in set(after) - set(before)}
    assert names <= {None, "button task_status"}, names  # the pattern as wired, once

"""The gate, over real HTTP: what Slack did not sign gets 401 and nothing else (no body
read beyond a small limit, nothing contacted, nothing changed, one short log line); a
signed replay is answered once; a signed request Slack would never send gets 400."""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.parse

import pytest

from bot.app import create_app
from bot.config import Settings
from bot.server import EVENTS_PATH
from handlers.background import Background
from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, LISA, NOW, SIGNING_SECRET
from tests.harness.checks import table_count
from tests.harness.serving import serving
from tests.harness.slack_requests import Slack, sign


@pytest.fixture
def slack(served_slack: Slack) -> Slack:
    return served_slack


def _setup_body(fake_slack: FakeSlack, text: str = "setup Gore District") -> bytes:
    return Slack.command_body(
        "/group", text, user=DIRECTOR, channel=GORE, response_url=fake_slack.new_response_url()
    )


@pytest.mark.parametrize("timestamp", ["abc", "1.5", "", "-1", "9" * 40])
def test_a_malformed_timestamp_gets_401_and_no_call_anywhere(
    slack: Slack,
    fake_slack: FakeSlack,
    database: Database,
    timestamp: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = _setup_body(fake_slack)
    with caplog.at_level(logging.INFO):
        result = slack.post(
            body,
            "application/x-www-form-urlencoded",
            signature="v0=" + "0" * 64,
            headers={"X-Slack-Request-Timestamp": timestamp},
        )
    assert result.status == 401 and result.body == ""
    time.sleep(0.2)  # had anything run, it would have called out by now
    assert fake_slack.calls == []
    assert table_count(database, "trial") == 0
    lines = [r.getMessage() for r in caplog.records if r.name == "advisory_bot.gate"]
    assert lines == ["Refused POST /slack/events: no valid timestamp"]
    assert not any("Gore" in r.getMessage() or "response" in r.getMessage() for r in caplog.records)


def test_a_huge_body_is_refused_before_it_is_read(slack: Slack, fake_slack: FakeSlack) -> None:
    host, port = urllib.parse.urlsplit(slack.events_url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"X-Slack-Request-Timestamp: " + str(int(time.time())).encode() + b"\r\n"
            b"X-Slack-Signature: v0=" + b"0" * 64 + b"\r\n"
            b"Content-Length: 104857600\r\n\r\n" + b"x" * 65536
        )
        answer = connection.recv(4096)
    assert answer.split(b"\r\n")[0].split(b" ")[1] in (b"413", b"401")
    assert fake_slack.calls == []


def _signed_task_add(slack: Slack, fake_slack: FakeSlack) -> tuple[bytes, int, str]:
    """Gore set up, and one `/task add` as Slack signs it: its body, time and signature."""
    slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    body = Slack.command_body(
        "/task",
        "add Hire a truancy officer",
        user=LISA,
        channel=GORE,
        response_url=fake_slack.new_response_url(),
    )
    now = int(time.time())
    return body, now, sign(slack.signing_secret, now, body)


def test_a_replayed_signed_command_is_answered_once(
    slack: Slack, fake_slack: FakeSlack, database: Database
) -> None:
    body, now, signature = _signed_task_add(slack, fake_slack)
    results = [
        slack.post(body, "application/x-www-form-urlencoded", timestamp=now, signature=signature)
        for _ in range(3)
    ]
    assert [r.status for r in results] == [200, 200, 200]
    fake_slack.wait_for("response_url", count=2)  # the setup's reply and the task's
    time.sleep(0.3)
    assert table_count(database, "task") == 1
    assert len(fake_slack.calls_to("response_url")) == 2


def test_a_replay_to_another_instance_or_after_a_restart_is_answered_once(
    slack: Slack, fake_slack: FakeSlack, database: Database, settings: Settings
) -> None:
    body, now, signature = _signed_task_add(slack, fake_slack)
    first = slack.post(
        body, "application/x-www-form-urlencoded", timestamp=now, signature=signature
    )
    assert first.status == 200
    background = Background()  # another instance on the same database (or this one, restarted)
    other = create_app(settings, database=database, clock=lambda: NOW, background=background)
    with serving(other, database, SIGNING_SECRET) as base_url:
        again = Slack(base_url + EVENTS_PATH, SIGNING_SECRET, fake_slack)
        replayed = again.post(
            body, "application/x-www-form-urlencoded", timestamp=now, signature=signature
        )
    background.shutdown()
    assert replayed.status == 200 and replayed.body == ""
    fake_slack.wait_for("response_url", count=2)  # the setup's reply and the task's
    time.sleep(0.3)
    assert table_count(database, "task") == 1
    assert len(fake_slack.calls_to("response_url")) == 2


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b"command=/group&text=list"),
        ("application/json", b"[1, 2"),
        ("application/x-www-form-urlencoded", b"payload=%7Bnot-json"),
        ("application/x-www-form-urlencoded", b"\xff\xfe"),
    ],
)
def test_a_signed_request_slack_would_never_send_gets_400(
    slack: Slack, fake_slack: FakeSlack, content_type: str, body: bytes
) -> None:
    result = slack.post(body, content_type)
    assert result.status == 400
    assert fake_slack.calls == []


def test_other_paths_are_not_found(slack: Slack) -> None:
    result = Slack(
        slack.events_url.replace("/slack/events", "/slack/other"), slack.signing_secret, slack.fake
    ).post(json.dumps({"type": "url_verification"}).encode(), "application/json")
    assert result.status == 404


@pytest.mark.parametrize(
    ("payload", "is_event"),
    [
        ({"type": "block_actions", "actions": [{"action_id": "task_done", "value": "1"}]}, False),
        ({"type": "view_submission", "view": {"callback_id": "task_update"}}, False),
        ({"type": "event_callback", "event": {"type": "app_home_opened", "user": "U1"}}, True),
        ({"type": "event_callback", "event_id": "Ev1"}, True),
    ],
)
def test_a_signed_payload_slack_would_never_send_gets_400_and_one_line(
    slack: Slack,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    payload: dict[str, object],
    is_event: bool,
) -> None:
    if is_event:
        body, content_type = json.dumps(payload).encode(), "application/json"
    else:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        content_type = "application/x-www-form-urlencoded"
    with caplog.at_level(logging.INFO):
        result = slack.post(body, content_type)
    assert result.status == 400
    assert not any(r.exc_info for r in caplog.records)
    [line] = [r.getMessage() for r in caplog.records if r.name == "advisory_bot.gate"]
    assert line.startswith("Refused POST /slack/events: a") and "with no" in line
    time.sleep(0.2)
    assert [c.method for c in fake_slack.calls if c.method != "auth.test"] == []


def test_app_home_opened_with_no_user_is_acknowledged_quietly(
    slack: Slack, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    event = {"type": "app_home_opened", "tab": "home"}
    body = json.dumps({"type": "event_callback", "event_id": "Ev2", "event": event}).encode()
    result = slack.post(body, "application/json")
    assert result.status == 200
    time.sleep(0.2)
    assert not any(r.exc_info for r in caplog.records)
    assert fake_slack.calls_to("views.publish") == []

"""Bolt's request as the bot reads it: the copy a lazy listener gets has a body and a
context of its own, and shares the request's Web API client rather than a deep copy of it."""

from __future__ import annotations

import queue
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.requests import SlackRequest
from simulator.web_api import FakeSlack
from tests.conftest import GORE, LISA
from tests.harness.slack_requests import Slack


def test_a_lazy_listener_gets_its_own_body_and_context_and_the_requests_client(
    fake_slack: FakeSlack,
) -> None:
    app = App(
        client=WebClient(token="xoxb-test", base_url=fake_slack.url),
        request_verification_enabled=False,
    )
    seen: queue.Queue[tuple[dict[str, Any], dict[str, Any], WebClient]] = queue.Queue()

    def acknowledge(ack: Any, context: Any) -> None:
        context["left_by_the_ack"] = ["kept"]
        ack()

    def later(body: dict[str, Any], context: Any, client: WebClient) -> None:
        seen.put((body, context, client))

    app.command("/task")(ack=acknowledge, lazy=[later])
    form = Slack.command_body(
        "/task", "add Kai for the kura", user=LISA, channel=GORE, response_url=fake_slack.url
    )
    request = SlackRequest(
        body=form.decode(), headers={"content-type": ["application/x-www-form-urlencoded"]}
    )
    assert app.dispatch(request).status == 200
    body, context, client = seen.get(timeout=10)
    assert client is request.context.client  # not a deep copy of it
    assert body == request.body and body is not request.body
    assert context["left_by_the_ack"] == ["kept"]
    assert context["left_by_the_ack"] is not request.context["left_by_the_ack"]
    assert context is not request.context

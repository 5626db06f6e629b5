"""Socket Mode: the same conversation over a loopback websocket, with every Web API
call (apps.connections.open included) going to SLACK_API_URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import create_app
from bot.config import Settings
from bot.server import socket_mode_handler
from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, HEMI, LISA
from tests.harness.socket_server import LoopbackSocketMode

APP_TOKEN = "xapp-1-A0ADVISORY-test"


@pytest.fixture
def socket_slack(database: Database, fake_slack: FakeSlack) -> Iterator[LoopbackSocketMode]:
    server = LoopbackSocketMode().start()
    fake_slack.websocket_url = server.url
    settings = Settings(
        slack_bot_token="xoxb-test-token",
        slack_app_token=APP_TOKEN,
        slack_api_url=fake_slack.url,
        director_user_ids=frozenset({DIRECTOR}),
    )
    app = create_app(settings, database=database)
    handler = socket_mode_handler(app, APP_TOKEN, ping_interval=1.0)  # notice a drop in 1 s
    handler.connect()
    yield server
    # The server goes first: a client blocked reading its socket is woken by the close,
    # rather than holding the socket's lock while the handler waits to close it.
    server.stop()
    handler.close()


def test_setting_up_a_group_over_socket_mode(
    socket_slack: LoopbackSocketMode, fake_slack: FakeSlack
) -> None:
    setup = socket_slack.say(
        fake_slack, f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE
    )
    assert "*Gore District*" in setup.text and not setup.ephemeral

    added = socket_slack.say(
        fake_slack, f'/group add <@{HEMI}|hemi> iwi "Hokonui Rūnanga"', user=LISA, channel=GORE
    )
    assert "Hokonui Rūnanga" in added.text

    listing = socket_slack.say(fake_slack, "/group list", user=LISA, channel=GORE)
    assert "*Iwi* (1)" in listing.text and "(lead)" in listing.text

    refused = socket_slack.say(
        fake_slack, "/group add <@UARO|aro> council", user=HEMI, channel=GORE
    )
    assert refused.ephemeral and "Only the lead of Gore District" in refused.text

    opened = fake_slack.calls_to("apps.connections.open")
    assert opened and opened[0].headers["Authorization"] == f"Bearer {APP_TOKEN}"


def test_socket_mode_reconnects_after_the_server_drops_it(
    socket_slack: LoopbackSocketMode, fake_slack: FakeSlack
) -> None:
    first = socket_slack.say(fake_slack, "/group help", user=LISA, channel=GORE)
    assert "/group help" in first.text
    socket_slack.drop()
    socket_slack.wait_connected(timeout=20)  # the client asked for a new URL and came back
    assert len(fake_slack.calls_to("apps.connections.open")) >= 2
    after = socket_slack.say(
        fake_slack, f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE
    )
    assert "*Gore District*" in after.text

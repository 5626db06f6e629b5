"""Changes a stopped bot acknowledged and left in the inbox: a bot that comes back makes
each once and answers it; one made already is taken out, its person told it went through."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlmodel import select

from bot.app import create_app
from bot.config import Settings
from handlers.background import Background
from handlers.making import LEFT_BEHIND_ROUNDS
from models.db import Database
from models.inbox import LEASE, Inbox
from models.tables import SlackEventReceipt, Task
from models.types import TaskStatus, utcnow
from simulator.web_api import FakeSlack
from tests.conftest import GORE, LISA
from tests.harness.slack_requests import Slack
from ui.blocks import ids


def _left(inbox: Inbox, fake_slack: FakeSlack, command: str, text: str) -> tuple[str, str]:
    """A command as the stopped bot kept it; its inbox id and its response_url's hook."""
    response_url = fake_slack.new_response_url()
    kept = inbox.keep(
        {
            "command": command,
            "text": text,
            "user_id": LISA,
            "user_name": "lisa",
            "channel_id": GORE,
            "response_url": response_url,
        },
        now=utcnow() - LEASE,  # its lease has run out: the bot that kept it stopped
    )
    return kept.id, response_url.rsplit("/", 1)[-1]


def test_a_bot_that_comes_back_makes_what_was_left_once(
    gore: Slack, database: Database, settings: Settings, fake_slack: FakeSlack
) -> None:
    inbox = Inbox(database)
    _, left = _left(inbox, fake_slack, "/task", "add Kai for the kura owner @lisa")
    made_id, made = _left(inbox, fake_slack, "/task", "add Already made before the stop")
    with database.session() as session:  # made, and its receipt written, before the stop
        session.add(SlackEventReceipt(event_id=f"command:{made_id}"))
    _left(inbox, fake_slack, "/nope", "a command this bot does not have")

    background = Background()
    create_app(
        settings, database=database, background=background, left_behind_every=LEFT_BEHIND_ROUNDS
    )
    reply = fake_slack.wait_for("response_url", hook=left, timeout=15)[0]
    assert "Kai for the kura" in reply.params["text"]
    deadline = time.monotonic() + 10
    while inbox.waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    background.shutdown()

    assert inbox.waiting() == 0  # all three taken out
    with database.session(write=False) as session:
        assert session.exec(select(Task.title)).all() == ["Kai for the kura"]
    # Made before the stop, its answer perhaps lost with it: the person hears it went through.
    [answer] = [c for c in fake_slack.calls_to("response_url") if c.hook == made]
    assert "Your /task add went through" in answer.params["text"]


def test_a_click_a_stopped_bot_kept_is_made_by_another_once_and_answered(
    gore: Slack, database: Database, settings: Settings, fake_slack: FakeSlack
) -> None:
    gore.say("/task add Kai for the kura", user=LISA, channel=GORE)
    response_url = fake_slack.new_response_url()
    action = {"action_id": ids.TASK_DONE, "block_id": "b", "type": "button", "value": "1"}
    body = {
        "type": "block_actions",
        "user": {"id": LISA, "username": "lisa"},
        "channel": {"id": GORE},
        "response_url": response_url,
        "actions": [action],
    }
    inbox = Inbox(database)  # the stopped bot kept the click before its ack, then died
    inbox.keep({"kind": "click", "action": action, "body": body}, now=utcnow() - LEASE)

    background = Background()
    create_app(
        settings, database=database, background=background, left_behind_every=LEFT_BEHIND_ROUNDS
    )
    hook = response_url.rsplit("/", 1)[-1]
    reply = fake_slack.wait_for("response_url", hook=hook, timeout=15)[0]
    assert reply.params["text"] == "T-1 is now done."
    deadline = time.monotonic() + 10
    while inbox.waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    background.shutdown()
    assert inbox.waiting() == 0
    with database.session(write=False) as session:
        assert session.exec(select(Task.status)).all() == [TaskStatus.DONE]
    assert len([c for c in fake_slack.calls_to("response_url") if c.hook == hook]) == 1
    inbox.dispose()


def test_a_form_a_stopped_bot_kept_is_made_by_another_and_the_group_told(
    gore: Slack, database: Database, settings: Settings, fake_slack: FakeSlack
) -> None:
    values = {
        ids.CREATE_TITLE_BLOCK: {ids.CREATE_TITLE_INPUT: {"value": "Kai for the kura"}},
        ids.CREATE_OWNER_BLOCK: {ids.CREATE_OWNER_INPUT: {"selected_user": LISA}},
    }
    body = {
        "type": "view_submission",
        "user": {"id": LISA, "username": "lisa"},
        "view": {
            "callback_id": ids.CREATE_TASK_VIEW,
            "private_metadata": json.dumps({"trial": 1}),
            "state": {"values": values},
        },
    }
    inbox = Inbox(database)  # the stopped bot rehearsed it, kept it and acked, then died
    inbox.keep(
        {"kind": "form", "callback_id": ids.CREATE_TASK_VIEW, "body": body}, now=utcnow() - LEASE
    )
    background = Background()
    create_app(
        settings, database=database, background=background, left_behind_every=LEFT_BEHIND_ROUNDS
    )
    told = fake_slack.wait_for("chat.postMessage", timeout=15)[0]
    assert told.params["channel"] == GORE and "Kai for the kura" in json.dumps(told.params)
    deadline = time.monotonic() + 10
    while inbox.waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    background.shutdown()
    assert inbox.waiting() == 0
    with database.session(write=False) as session:
        assert session.exec(select(Task.title)).all() == ["Kai for the kura"]
    inbox.dispose()


def test_a_change_made_long_after_it_came_is_answered_by_dm_saying_what_it_answers(
    gore: Slack, database: Database, settings: Settings, fake_slack: FakeSlack
) -> None:
    """Slack takes a response_url for 30 minutes: a change left for longer (the bot was
    down) is answered by direct message, and the message says what it answers."""
    inbox = Inbox(database)
    response_url = fake_slack.new_response_url()
    body = {
        "command": "/group",
        "text": "away until 31/12/2026",
        "user_id": LISA,
        "user_name": "lisa",
        "channel_id": GORE,
        "response_url": response_url,
    }
    inbox.keep(body, now=utcnow() - timedelta(minutes=40))
    background = Background()
    create_app(
        settings, database=database, background=background, left_behind_every=LEFT_BEHIND_ROUNDS
    )
    deadline = time.monotonic() + 10
    while inbox.waiting() and time.monotonic() < deadline:
        time.sleep(0.05)
    background.shutdown()
    hook = response_url.rsplit("/", 1)[-1]
    assert [c for c in fake_slack.calls_to("response_url") if c.hook == hook] == []
    told = [c for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] == LISA]
    assert told and told[-1].params["text"].startswith(
        "While the bot was down you asked for /group away; it is done now."
    ), [c.params for c in fake_slack.calls_to("chat.postMessage")]
    assert "31 Dec 2026" in told[-1].params["text"]
    inbox.dispose()

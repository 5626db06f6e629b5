"""People's text is text: nothing anyone types becomes a live broadcast, mention, user-group
ping or disguised link, on any surface (channel posts, replies, App Home, reminder DMs,
the agenda post, summaries). The only live mentions are those the bot composes."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import GORE, HEMI, LISA
from tests.harness.slack_requests import Slack
from ui.formatting import said
from ui.parsing import parse_title

NZ = ZoneInfo("Pacific/Auckland")
# What Slack sends for each (with should_escape: typed "@here" arrives as <!here>, a typed
# "<" as &lt;), and the live markup none of them may become.
TYPED = [
    "Urgent <!here> please",
    "Tell <!channel> and <!everyone|everyone>",
    "Ping <!subteam^S0LEADS|@leads>",
    "Ask &lt;@U0MALLORY&gt; and &lt;!here&gt; directly",
    "Read <https://evil.example/login|https://www.govt.nz>",
]
LIVE = re.compile(r"<!(here|channel|everyone|subteam)|<@U0MALLORY|<https://evil")


def _everything_sent(fake_slack: FakeSlack) -> str:
    """Every text the bot sent that Slack reads as markup: a message's own text and every
    mrkdwn object in its blocks or views (plain_text shows markup as it is)."""
    sent: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                sent.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for call in fake_slack.calls:
        if call.method in ("response_url", "chat.postMessage", "views.publish", "views.open"):
            params = dict(call.params)
            for key in ("blocks", "view"):
                if isinstance(params.get(key), str):
                    params[key] = json.loads(params[key])
            sent.append(str(params.get("text") or ""))
            walk(params.get("blocks"))
            walk(params.get("view"))
    return "\n".join(sent)


@pytest.mark.parametrize("typed", TYPED)
def test_typed_markup_never_goes_live_on_any_surface(
    gore: Slack, fake_slack: FakeSlack, settings: Settings, database: Database, typed: str
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f"/task add {typed} owner <@{HEMI}|hemi> due 26/11", user=LISA, channel=GORE)
    gore.say(f"/update T-1 at-risk 30% {typed}", user=HEMI, channel=GORE)
    gore.say("/meeting schedule 25/11 10am at Gore Library", user=LISA, channel=GORE)
    gore.say(f"/agenda add {typed}", user=HEMI, channel=GORE)
    for line in ("/task list", "/task show T-1", "/agenda", "/summary", "/meeting show M-1"):
        gore.say(line, user=LISA, channel=GORE)
    # The day before the meeting and the task's due day: the agenda post and the DM.
    client = make_client(settings)
    sweep(
        now=datetime(2026, 11, 24, 9, 5, tzinfo=NZ),
        database=database,
        client=client,
        settings=settings,
        me="test",
    )
    sweep(
        now=datetime(2026, 11, 26, 9, 5, tzinfo=NZ),
        database=database,
        client=client,
        settings=settings,
        me="test",
    )
    fake_slack.wait_for("views.publish")
    sent = _everything_sent(fake_slack)
    assert fake_slack.calls_to("chat.postMessage"), "the reminders went out"
    assert LIVE.findall(sent) == []
    readable = parse_title(typed.replace("&lt;", "<").replace("&gt;", ">"))
    assert said(readable, 200) in sent or said(readable)[:60] in sent


def test_the_bots_own_mentions_stay_live(gore: Slack, fake_slack: FakeSlack) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    reply = gore.say(
        f"/task add Hire a truancy officer owner <@{HEMI}|hemi>", user=LISA, channel=GORE
    )
    assert f"<@{HEMI}>" in reply.text and f"<@{LISA}>" in reply.text


def test_names_that_only_differ_by_invisible_characters_are_one_trial(
    slack: Slack, database: Database
) -> None:
    from tests.conftest import DIRECTOR

    slack.say("/group setup Gore District", user=DIRECTOR, channel=GORE)
    again = slack.say("/group setup Gore\u200b District", user=DIRECTOR, channel="COTHER")
    assert "*Gore District* is the trial of <#CGORE>" in again.text  # the same trial, moving


def test_text_stored_before_is_escaped_where_it_is_shown(
    gore: Slack, fake_slack: FakeSlack, database: Database
) -> None:
    """Rows written before this release may hold raw markup: shown, it is still text."""
    from models.tables import Task

    gore.say("/task add Placeholder", user=LISA, channel=GORE)
    with database.session() as session:
        task = session.get(Task, 1)
        assert task is not None
        task.title = "Old <!channel> title & <https://evil.example|govt.nz>"
        session.add(task)
    for line in ("/task list", "/task show T-1", "/summary", "/task done T-1"):
        gore.say(line, user=LISA, channel=GORE)
    sent = _everything_sent(fake_slack)
    assert LIVE.findall(sent) == []
    assert "Old &lt;!channel&gt; title &amp; &lt;https://evil.example|govt.nz&gt;" in sent

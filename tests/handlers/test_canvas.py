"""The channel canvas as the bot would publish it (`:canvas` in the console): each section
under its own heading, local dates, overdue and blocked marked, people's text as text."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from sqlmodel import select

from bot.app import create_app
from bot.config import Settings
from bot.server import EVENTS_PATH
from handlers.background import Background
from models.db import Database
from models.tables import Trial
from simulator.web_api import FakeSlack
from slack_api.canvases import canvas_markdown
from tests.conftest import DIRECTOR, GORE, HEMI, LISA, NOW, NZ, SIGNING_SECRET
from tests.harness.slack_requests import Interactions, Slack


def test_the_canvas_shows_the_plan_meeting_deadlines_and_text_as_text(
    gore: Slack, database: Database
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(
        "/task add Hire *an officer* [now](http://evil.example) owner @hemi due 20/11/2026 "
        "outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    gore.say("/task add Breakfast club due 15/12 outcome Reduce truancy", user=LISA, channel=GORE)
    gore.say("/update T-2 blocked Waiting on the school board", user=LISA, channel=GORE)
    gore.say("/meeting schedule 14/12 10am at Gore Library", user=LISA, channel=GORE)
    gore.say("/agenda add Truancy figures", user=HEMI, channel=GORE)
    gore.say("/deadline add Six-monthly report due 15/12", user=LISA, channel=GORE)
    with database.session(write=False) as session:
        trial = session.exec(select(Trial)).one()
    text = canvas_markdown(
        database=database, trial=trial, now=datetime(2026, 11, 23, 9, 30, tzinfo=NZ), tz=NZ
    )
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## The trial at a glance",
        "## The Action Plan",
        "## The next meeting",
        "## Reporting deadlines",
        "## Headline indicators",
    ]
    assert text.startswith("# Gore District · Action Plan")
    assert "### Reduce truancy (0 of 2 done)" in text
    assert r"Hire \*an officer\* \[now\](http://evil.example)" in text  # no emphasis, no link
    assert f"![](@{HEMI}), due Fri 20 Nov 2026, not started, 0% **overdue**" in text
    assert "**blocked**" in text and "Lead: ![](@ULISA)" in text
    assert "M-1 Mon 14 Dec 2026, 10:00 at Gore Library\n1. Truancy figures" in text
    assert "D-1 Six-monthly report, due Tue 15 Dec 2026" in text


@pytest.fixture
def quick(
    settings: Settings, database: Database, fake_slack: FakeSlack, request: pytest.FixtureRequest
) -> Iterator[Slack]:
    """The app with a short coalescing window (0.3 s, or the test's), so canvas edits
    follow within a test."""
    background = Background()
    window = getattr(request, "param", 0.3)
    app = create_app(
        settings,
        database=database,
        clock=lambda: NOW,
        background=background,
        canvas_window=window,
        canvas_spacing=0.05,  # the fake Slack here takes canvas calls faster than Slack's tiers
    )
    yield Slack(EVENTS_PATH, SIGNING_SECRET, fake_slack, app=app)
    background.shutdown()


def _until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the canvas never caught up"
        time.sleep(0.05)


def _canvas_text(fake_slack: FakeSlack, channel: str) -> str:
    found = fake_slack.canvases.of_channel(channel)
    return found.markdown if found else ""


def test_a_canvas_is_made_on_setup_and_follows_each_change_in_one_edit_a_burst(
    quick: Slack, fake_slack: FakeSlack
) -> None:
    quick.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    _until(lambda: "# Gore District · Action Plan" in _canvas_text(fake_slack, GORE))
    made = fake_slack.canvases.of_channel(GORE)
    assert made is not None and made.title == "Gore District · Action Plan"
    quick.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    for line, shows in (
        ("/task add Hire a truancy officer owner @hemi due 15/12", "T-1 Hire a truancy officer"),
        ("/update T-1 at-risk 40% Fewer applicants", "at risk, 40%"),
        ("/meeting schedule 14/12 10am at Gore Library", "M-1 Mon 14 Dec 2026, 10:00"),
        ("/agenda add Truancy figures", "1. Truancy figures"),
        ("/task done T-1 Started Monday", "(1 of 1 done)"),
    ):
        quick.say(line, user=LISA, channel=GORE)
        _until(lambda shows=shows: shows in _canvas_text(fake_slack, GORE))  # type: ignore[misc]
    assert len(fake_slack.calls_to("conversations.canvases.create")) == 1


@pytest.mark.parametrize("quick", [3.0], indirect=True)
def test_a_burst_of_twenty_updates_is_one_edit_of_what_changed(
    quick: Slack, fake_slack: FakeSlack
) -> None:
    quick.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    quick.say("/task add Breakfast club due 15/12", user=LISA, channel=GORE)
    _until(lambda: "T-1 Breakfast club" in _canvas_text(fake_slack, GORE))
    before = len(fake_slack.canvases.edits)
    for percent in range(1, 21):  # twenty updates within the window
        quick.say(f"/update T-1 on-track {percent}% Going", user=LISA, channel=GORE)
    _until(lambda: "on track, 20%" in _canvas_text(fake_slack, GORE))
    assert len(fake_slack.canvases.edits) - before == 1  # the Action Plan section, once


def test_a_burst_through_two_instances_is_still_one_edit(
    settings: Settings, database: Database, fake_slack: FakeSlack
) -> None:
    """Two instances on one database: the changes each takes ask for one pass between
    them, run by one of them (the pass is claimed in the database, not in memory)."""
    backgrounds = [Background(), Background()]
    apps = [
        create_app(
            settings,
            database=database,
            clock=lambda: NOW,
            background=background,
            canvas_window=3.0,
            canvas_spacing=0.05,
        )
        for background in backgrounds
    ]
    one, other = (Slack(EVENTS_PATH, SIGNING_SECRET, fake_slack, app=app) for app in apps)
    one.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    one.say("/task add Breakfast club due 15/12", user=LISA, channel=GORE)
    _until(lambda: "T-1 Breakfast club" in _canvas_text(fake_slack, GORE))
    before = len(fake_slack.canvases.edits)
    for percent in range(1, 11):  # ten updates within the window, half through each
        (one if percent % 2 else other).say(
            f"/update T-1 on-track {percent}% Going", user=LISA, channel=GORE
        )
    _until(lambda: "on track, 10%" in _canvas_text(fake_slack, GORE))
    time.sleep(1.5)  # a second pass, had either instance made its own, would be made by now
    assert len(fake_slack.canvases.edits) - before == 1
    for background in backgrounds:
        background.shutdown()


def test_a_deleted_canvas_is_made_again_and_the_lead_told_once(
    quick: Slack, fake_slack: FakeSlack
) -> None:
    quick.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    _until(lambda: fake_slack.canvases.of_channel(GORE) is not None)
    first = fake_slack.canvases.of_channel(GORE)
    assert first is not None
    fake_slack.canvases.delete(next(k for k, v in fake_slack.canvases.by_id.items() if v is first))
    quick.say("/task add Hire a truancy officer due 15/12", user=LISA, channel=GORE)
    _until(lambda: "T-1 Hire a truancy officer" in _canvas_text(fake_slack, GORE))
    told = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.params["channel"] == LISA and "had been deleted" in str(c.params)
    ]
    assert len(told) == 1


@pytest.mark.parametrize("refusal", ["canvas_disabled_user_team", "restricted_action"])
def test_a_workspace_that_refuses_canvases_tells_the_lead_once_and_works_on(
    quick: Slack, fake_slack: FakeSlack, refusal: str
) -> None:
    fake_slack.refuse("canvases", refusal)
    quick.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    quick.say("/task add Hire a truancy officer due 15/12", user=LISA, channel=GORE)

    def told() -> list[object]:
        return [
            c
            for c in fake_slack.calls_to("chat.postMessage")
            if c.params["channel"] == LISA and "Action Plan canvas" in str(c.params)
        ]

    _until(lambda: len(told()) == 1)
    assert "Slack admin" in str(told()[0].params)  # type: ignore[attr-defined]
    quick.say("/task add Breakfast club due 15/12", user=LISA, channel=GORE)
    time.sleep(0.8)
    assert len(told()) == 1  # once
    assert "T-2" in quick.say("/task list", user=LISA, channel=GORE).text  # works on


def test_a_channel_with_its_own_canvas_keeps_it(quick: Slack, fake_slack: FakeSlack) -> None:
    fake_slack.canvases.give_channel(GORE)
    quick.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    _until(
        lambda: any(
            "has a canvas of its own" in str(c.params)
            for c in fake_slack.calls_to("chat.postMessage")
        )
    )
    assert _canvas_text(fake_slack, GORE) == "# Our own notes"
    offer = next(
        c for c in fake_slack.calls_to("chat.postMessage") if "of its own" in str(c.params)
    )
    blocks = offer.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"])
    Interactions(quick).click(button, user=LISA, channel=None)
    _until(lambda: "## The Action Plan" in _canvas_text(fake_slack, GORE))
    text = _canvas_text(fake_slack, GORE)
    assert text.startswith("# Our own notes")  # theirs first, the plan after
    quick.say("/task add Hire a truancy officer due 15/12", user=LISA, channel=GORE)
    _until(lambda: "T-1 Hire a truancy officer" in _canvas_text(fake_slack, GORE))
    assert _canvas_text(fake_slack, GORE).startswith("# Our own notes")


def test_a_task_done_from_app_home_reaches_the_canvas(quick: Slack, fake_slack: FakeSlack) -> None:
    quick.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    quick.say("/task add Hire a truancy officer due 15/12", user=LISA, channel=GORE)
    _until(lambda: "T-1 Hire a truancy officer" in _canvas_text(fake_slack, GORE))
    done = {"action_id": "task_done", "type": "button", "value": "1"}
    Interactions(quick).click(done, user=LISA, channel=None)  # no channel: App Home
    _until(lambda: "(1 of 1 done)" in _canvas_text(fake_slack, GORE))


def test_a_bilingual_channel_has_its_canvas_renamed_in_place(
    quick: Slack, fake_slack: FakeSlack
) -> None:
    quick.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    quick.say("/task add Breakfast club due 15/12", user=LISA, channel=GORE)
    _until(lambda: "T-1 Breakfast club" in _canvas_text(fake_slack, GORE))
    quick.say("/group language channel bilingual", user=LISA, channel=GORE)
    _until(lambda: "## Ngā tūtohu matua · Headline indicators" in _canvas_text(fake_slack, GORE))
    text = _canvas_text(fake_slack, GORE)
    # Each section replaced where it was, none added twice.
    assert "## Te Mahere Mahi · The Action Plan" in text and text.count("The Action Plan") == 1
    assert "## The Action Plan" not in text and "## Reporting deadlines" not in text
    assert "Rātū, 15 Hakihea 2026 (Tue 15 Dec 2026)" in text
    quick.say("/group language channel english", user=LISA, channel=GORE)
    _until(lambda: "## Headline indicators" in _canvas_text(fake_slack, GORE))
    assert "Te Mahere Mahi" not in _canvas_text(fake_slack, GORE)
    assert len(fake_slack.calls_to("conversations.canvases.create")) == 1

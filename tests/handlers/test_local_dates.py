"""One task, meeting and deadline, dated the same in every surface people see, whatever the
hour in New Zealand: around midnight and noon, in summer (NZDT, +13:00) and winter (NZST,
+12:00) time. Anything done before 13:00 NZDT is still "yesterday" in UTC."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import select

from bot.app import create_app
from bot.config import Settings
from bot.server import EVENTS_PATH
from handlers.background import Background
from models.db import Database
from models.tables import ProgressUpdate, Task
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, DIRECTORATE, GORE, LISA, NZ, SIGNING_SECRET
from tests.harness.slack_requests import Slack

SUMMER = date(2026, 12, 2)  # a Wednesday, NZDT
WINTER = date(2027, 7, 1)  # a Thursday, NZST
HOURS = [time(0, 30), time(9, 55), time(12, 59), time(13, 1)]


def day_words(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def when_words(instant: datetime) -> str:
    return f"{day_words(instant.date())}, {instant:%H:%M}"


@pytest.fixture(params=[(d, h) for d in (SUMMER, WINTER) for h in HOURS], ids=str)
def moment(request: pytest.FixtureRequest) -> datetime:
    day, hour = request.param
    return datetime.combine(day, hour, NZ)


@pytest.fixture
def plan(
    moment: datetime, settings: Settings, database: Database, fake_slack: FakeSlack
) -> Iterator[Slack]:
    """Gore District with a task done, a meeting and a deadline, all made at `moment`."""
    background = Background()
    app = create_app(settings, database=database, clock=lambda: moment, background=background)
    slack = Slack(EVENTS_PATH, SIGNING_SECRET, fake_slack, app=app)
    meeting = moment + timedelta(days=3)
    due = moment.date() + timedelta(days=5)
    slack.say(f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE)
    slack.say("/task add Hire a truancy officer due in 2 weeks", user=LISA, channel=GORE)
    assert "completed" in slack.say("/task done T-1 Started", user=LISA, channel=GORE).text
    scheduled = slack.say(
        f"/meeting schedule {meeting:%d/%m/%Y %H:%M} at Gore Library", user=LISA, channel=GORE
    )
    assert when_words(meeting) in scheduled.text, scheduled.text
    slack.say(f"/deadline add Six-monthly report due {due:%d/%m/%Y}", user=LISA, channel=GORE)
    # The app's clock says when things are due; the rows' own stamps come from the real
    # clock, so date them at `moment` as if it were now.
    with database.session() as session:
        task = session.get(Task, 1)
        assert task is not None
        task.created_at = task.updated_at = task.completed_at = moment
        for update in session.exec(select(ProgressUpdate)):
            update.created_at = moment
    yield slack
    background.shutdown()


def test_every_surface_shows_the_same_local_dates(
    plan: Slack, moment: datetime, fake_slack: FakeSlack
) -> None:
    done, meeting = when_words(moment), when_words(moment + timedelta(days=3))
    due = moment.date() + timedelta(days=5)
    assert f"done {done}" in plan.say("/task show T-1", user=LISA, channel=GORE).text
    assert meeting in plan.say("/meeting list", user=LISA, channel=GORE).text
    assert day_words(due) in plan.say("/deadline list", user=LISA, channel=GORE).text
    summary = plan.say("/summary", user=LISA, channel=GORE).text
    assert meeting in summary and f"<@{LISA}>, {day_words(moment.date())}" in summary
    rollup = plan.say("/summary all", user=DIRECTOR, channel=DIRECTORATE).text
    assert f"meets {meeting}" in rollup and day_words(due) in rollup

    published = len(fake_slack.calls_to("views.publish"))
    plan.event({"type": "app_home_opened", "user": LISA, "tab": "home"}, event_id="EvHome")
    calls = fake_slack.wait_for("views.publish", count=published + 1)
    home = json.dumps(calls[-1].view, ensure_ascii=False)
    assert meeting in home and day_words(due) in home

    plan.say("/summary export", user=LISA, channel=GORE)
    (tasks,) = fake_slack.files_named("-tasks.csv")
    task = next(csv.DictReader(io.StringIO(tasks.decode("utf-8-sig"))))
    assert task["created"] == task["completed"] == moment.date().isoformat()
    assert (task["owner"], task["owner_slack_id"]) == ("lisa", LISA)

    plan.say("/summary all export", user=DIRECTOR, channel=DIRECTORATE)
    (national,) = fake_slack.files_named("social-sector-trials.csv")
    row = next(csv.DictReader(io.StringIO(national.decode("utf-8-sig"))))
    offset = "+13:00" if moment.date() == SUMMER else "+12:00"
    starts = moment + timedelta(days=3)
    assert row["next_meeting"] == f"{starts:%Y-%m-%dT%H:%M}:00{offset}"
    assert row["next_deadline_due"] == due.isoformat()

    plan.say("/report draft", user=LISA, channel=GORE)
    (markdown,) = fake_slack.files_named(".md")
    assert f"completed {day_words(moment.date())}" in markdown.decode()

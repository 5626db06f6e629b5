"""/summary over signed HTTP requests, exports through the files upload flow, and the
Director's weekly digest through the reminder engine."""

from __future__ import annotations

import csv
import io
import struct
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, NOW, RANUI
from tests.harness import data
from tests.harness.slack_requests import Slack


@pytest.fixture
def trials(gore: Slack) -> Slack:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f"/group add <@{ARO}|aro> agency", user=LISA, channel=GORE)
    gore.say(
        "/task add Hire a truancy officer owner @hemi due 1/11/2026 outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    gore.say(
        "/task add Breakfast club owner @aro due 15/12 outcome truancy", user=LISA, channel=GORE
    )
    gore.say(
        "/task add Youth hub lease due 15/12 outcome Education, training and employment",
        user=LISA,
        channel=GORE,
    )
    gore.say("/update T-2 blocked Waiting on the school board", user=ARO, channel=GORE)
    gore.say("/task done T-3 Signed", user=LISA, channel=GORE)
    gore.say(
        "/deadline add Six-monthly progress report to Ministers due 15/12", user=LISA, channel=GORE
    )
    gore.say("/meeting schedule 2/12 10am at Gore Library", user=LISA, channel=GORE)
    gore.say("/agenda add Truancy figures", user=HEMI, channel=GORE)
    gore.say("/group setup Rānui lead <@UMARK|mark>", user=DIRECTOR, channel=RANUI)
    gore.say("/task add Work-ready programme due 15/12", user="UMARK", channel=RANUI)
    return gore


def test_a_trial_summary_posted_to_its_channel(trials: Slack) -> None:
    reply = trials.say("/summary", user=HEMI, channel=GORE)
    assert not reply.ephemeral
    text = reply.text
    assert "Gore District · summary" in text
    assert ":red_circle: *Red*: 1 of 2 open tasks are overdue; 1 task blocked." in text
    assert "*Reduce truancy*: 0 of 2 done" in text and "1 of 1 done" in text
    assert "*Action Plan* · 1 of 3 done (33%)" in text
    assert "T-1" in text and "overdue 22 days" in text and "T-2" in text
    assert "D-1* Six-monthly progress report to Ministers — due in 22 days" in text
    assert "M-1 Wed 2 Dec 2026, 10:00 · 1 agenda item" in text
    assert "Waiting on the school board" in text
    assert "3 members" in text and "Iwi 1" in text


def test_the_national_roll_up_is_the_directors(trials: Slack) -> None:
    refused = trials.say("/summary all", user=LISA, channel=GORE)
    assert refused.ephemeral
    assert (
        "Only the Director (<@UDIRECTOR>) can add national deadlines or see every trial"
        in refused.text
    )
    rollup = trials.say("/summary all", user=DIRECTOR, channel="CDIRECTORATE")
    assert not rollup.ephemeral
    assert rollup.text.index("Gore District") < rollup.text.index("Rānui")  # attention first
    assert "2 trials: 1 red, 1 green" in rollup.text
    one = trials.say("/summary ranui", user=DIRECTOR, channel="CDIRECTORATE")
    assert "Rānui · summary" in one.text
    assert (
        "No trial is called “Atlantis”"
        in trials.say("/summary Atlantis", user=DIRECTOR, channel="CDIRECTORATE").text
    )
    unlinked = trials.say("/summary", user=LISA, channel="CNOWHERE")
    assert "isn't linked to a trial yet" in unlinked.text and "/group setup" in unlinked.text


def _png_size(data_bytes: bytes) -> tuple[int, int]:
    assert data_bytes[:8] == b"\x89PNG\r\n\x1a\n"
    assert data_bytes[12:16] == b"IHDR"
    return struct.unpack(">II", data_bytes[16:24])


def test_exports_are_a_csv_and_a_chart(trials: Slack, fake_slack: FakeSlack) -> None:
    done = trials.say("/summary all export", user=DIRECTOR, channel="CDIRECTORATE")
    assert "The export of Every trial is in the channel" in done.text
    completed = fake_slack.wait_for("files.completeUploadExternal")[0].params
    assert completed["channel_id"] == "CDIRECTORATE"
    uploads = fake_slack.wait_for("upload", count=2)
    files = {call.hook: fake_slack.uploads[call.hook or ""] for call in uploads}
    table, chart = sorted(files.values(), key=lambda b: b[:4] == b"\x89PNG")
    rows = list(csv.DictReader(io.StringIO(table.decode("utf-8-sig"))))
    assert [row["trial"] for row in rows] == ["Gore District", "Rānui"]
    assert rows[0]["status"] == "red" and rows[0]["tasks"] == "3" and rows[0]["done"] == "1"
    width, height = _png_size(chart)
    assert width >= 400 and height >= 200

    trials.say("/summary export", user=HEMI, channel=GORE)
    uploads = fake_slack.wait_for("upload", count=4)[2:]
    tasks_csv = next(
        fake_slack.uploads[c.hook or ""]
        for c in uploads
        if not fake_slack.uploads[c.hook or ""].startswith(b"\x89PNG")
    )
    task_rows = list(csv.DictReader(io.StringIO(tasks_csv.decode("utf-8-sig"))))
    assert [r["reference"] for r in task_rows] == ["T-1", "T-2", "T-3"]
    assert task_rows[1]["latest_update"] == "Waiting on the school board"
    assert task_rows[0]["overdue"] == "yes"


def test_the_weekly_digest_posts_a_headline_and_its_detail_in_a_thread(
    trials: Slack, database: Database, fake_slack: FakeSlack, settings: Settings
) -> None:
    director = Settings(**{**settings.__dict__, "director_channel_id": "CDIRECTORATE"})
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=ZoneInfo("Pacific/Auckland"))
    result = sweep(
        now=friday, database=database, client=make_client(director), settings=director, me="test"
    )
    posts = [
        c for c in fake_slack.calls_to("chat.postMessage") if c.params["channel"] == "CDIRECTORATE"
    ]
    assert result.sent >= 1 and len(posts) == 2
    headline, detail = posts
    assert (
        "Weekly digest" in headline.params["text"]
        and "1 red, 0 amber, 1 green" in headline.params["text"]
    )
    assert detail.params["thread_ts"]
    assert "What changed this week" in str(detail.params["blocks"])
    assert "Gone quiet" in str(detail.params["blocks"])


def test_big_roll_ups_stay_within_slack_limits(
    slack: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    with database.session() as session:
        data.programme(session, trials=60, tasks=5, updates=0, today=NOW.date())
    reply = slack.say("/summary all", user=DIRECTOR, channel="CDIRECTORATE")
    # (the fake Slack also checked every block against Slack's limits)
    assert len(reply.blocks) <= 50 and "60 trials" in reply.text
    assert reply.text.count("Trial ") >= 60  # every trial is listed

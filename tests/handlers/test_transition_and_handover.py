"""A trial's end: the transition review posted when it becomes transitioning and decided
line by line; the handover archive once it has ended; read-only until the Director reopens
it; `advisory-bot export` making the same archive without Slack."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import time
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document
from sqlmodel import select

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from models.tables import Deadline, ReviewDecision, Trial
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, DIRECTORATE, GORE, HEMI, LISA, RANUI
from tests.harness.checks import assert_refused, audit_count
from tests.harness.processes import SCRIPT, clean_env
from tests.harness.slack_requests import Interactions, Reply, Slack, buttons

NZ = ZoneInfo("Pacific/Auckland")


def _programmes(gore: Slack) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(
        '/programme add Truancy officer provider "Hokonui Rūnanga" funding 120k '
        "until 30/6/2027 outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    gore.say("/programme add Youth hub funding 45k", user=LISA, channel=GORE)
    gore.say("/programme add Trial lead role funding 95k coordination", user=LISA, channel=GORE)


def _posts_to(fake_slack: FakeSlack, channel: str) -> list[str]:
    return [
        str(c.params.get("text", ""))
        for c in fake_slack.calls_to("chat.postMessage")
        if c.params["channel"] == channel
    ]


def test_transitioning_posts_the_review_due_six_months_on(
    gore: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    _programmes(gore)
    assert_refused(
        gore,
        database,
        "/transition decide P-1 continue",
        "not transitioning",
        user=LISA,
        channel=GORE,
    )
    changed = gore.say("/group status transitioning", user=DIRECTOR, channel=GORE)
    assert "The transition review is posted below" in changed.text
    deadline = time.monotonic() + 10
    while not [t for t in _posts_to(fake_slack, GORE) if "transition review" in t]:
        assert time.monotonic() < deadline, "the review was never posted"
        time.sleep(0.05)
    (posted,) = [t for t in _posts_to(fake_slack, GORE) if "transition review" in t]
    assert posted.startswith("Gore District: transition review")
    with database.session(write=False) as session:
        trial = session.exec(select(Trial)).one()
        deadline = session.get(Deadline, trial.review_deadline_id)
    assert deadline is not None and deadline.due_date == date(2027, 5, 23)  # six months on
    assert deadline.responsible_member_id is not None  # the lead
    review = gore.say("/transition", user=HEMI, channel=GORE).text  # anyone reads it
    assert "0 of 3 items decided" in review and "Due Sun 23 May 2027 (181 days left" in review
    assert review.index("*To decide*") < review.index("*P-1* Truancy officer")
    listed = gore.say("/deadline list", user=LISA, channel=GORE).text
    assert "Transition review: decide every programme and coordination item" in listed
    again = gore.say("/group status transitioning", user=DIRECTOR, channel=GORE)
    assert "already transitioning" in again.text


def test_a_complete_review_line_by_line(
    gore: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    _programmes(gore)
    gore.say("/group status transitioning", user=DIRECTOR, channel=GORE)
    assert_refused(
        gore, database, "/transition decide P-1 continue", "Only the lead", user=HEMI, channel=GORE
    )
    for line, says in (
        ("/transition decide P-1", "Say the programme and the decision"),
        ("/transition decide P-1 maybe", "is not a review decision"),
        ("/transition decide P-1 continue by", "Say who carries it on"),
        ("/transition decide P-9 exit", "There is no programme P-9"),
        ("/transition due 1/1/2020", "has passed"),
        ("/transition decide P-1 exit " + "x" * 1200, "keep it to 1000"),
    ):
        assert_refused(gore, database, line, says, user=LISA, channel=GORE)
    first = gore.say(
        '/transition decide P-1 continue by "Hokonui Rūnanga" funded by the Ministry of '
        "Education from July",
        user=LISA,
        channel=GORE,
    )
    assert not first.ephemeral
    assert "decided *P-1* Truancy officer: *continue locally* by Hokonui Rūnanga" in first.text
    assert (
        "funded by the Ministry of Education from July" in first.text
        and "2 still to decide" in first.text
    )
    gore.say(
        "/transition decide P-2 integrate by Gore District Council — into its youth services",
        user=LISA,
        channel=GORE,
    )
    moved = gore.say("/transition due 30/6/2027", user=LISA, channel=GORE)
    assert "from Sun 23 May 2027 to Wed 30 Jun 2027" in moved.text
    last = gore.say(
        "/transition decide P-3 exit The role ends with the trial", user=LISA, channel=GORE
    )
    assert "the review is complete" in last.text
    with database.session(write=False) as session:
        decisions = session.exec(
            select(ReviewDecision).order_by(ReviewDecision.programme_item_id)
        ).all()
        trial = session.exec(select(Trial)).one()
        deadline = session.get(Deadline, trial.review_deadline_id)
    assert [(d.decision, d.carried_by, d.note) for d in decisions] == [
        ("continue", "Hokonui Rūnanga", "funded by the Ministry of Education from July"),
        ("integrate", "Gore District Council", "into its youth services"),
        ("exit", None, "The role ends with the trial"),
    ]
    assert deadline is not None and deadline.status == "submitted"  # its reminders stop
    review = gore.say("/transition", user=LISA, channel=GORE).text
    assert "3 of 3 items decided" in review and "Every item is decided" in review
    assert_refused(
        gore, database, "/transition due 1/7/2027", "decided already", user=LISA, channel=GORE
    )
    gore.say("/group setup Rānui", user=DIRECTOR, channel=RANUI)
    gore.say("/group status transitioning", user=DIRECTOR, channel=RANUI)
    every = gore.say("/transition all", user=DIRECTOR, channel=DIRECTORATE).text
    assert "*Gore District*: 3 decided, 0 to decide · complete" in every
    assert "*Rānui*: 0 decided, 0 to decide · 181 days left (due Sun 23 May 2027)" in every
    assert_refused(gore, database, "/transition all", "Only the Director", user=LISA, channel=GORE)
    gore.say("/report draft", user=LISA, channel=GORE)
    document = Document(io.BytesIO(fake_slack.files_named(".docx")[0]))
    assert "Transition review" in [p.text for p in document.paragraphs]
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Item"]
    assert [c.text for c in table.rows[2].cells] == [
        "P-2 Youth hub",
        "Integrate",
        "Gore District Council",
        "into its youth services",
    ]


def _final(slack: Slack, line: str, *, user: str, channel: str, answers: int = 2) -> Reply:
    """The last of a slow command's replies (a word first, then the result)."""
    command, _, text = line.partition(" ")
    result = slack.command(command, text, user=user, channel=channel)
    calls = slack.fake.wait_for("response_url", hook=result.hook, count=answers, timeout=30)
    return Reply(calls[-1].params)


def _a_trial_with_everything(gore: Slack) -> None:
    _programmes(gore)
    gore.say(
        "/task add Hire a truancy officer owner @hemi due 15/12 programme P-1",
        user=LISA,
        channel=GORE,
    )
    gore.say("/update T-1 on-track 40% Two interviews booked", user=HEMI, channel=GORE)
    gore.say("/meeting schedule 30/11 10am at Gore Library", user=LISA, channel=GORE)
    gore.say("/agenda add Truancy figures for M-1", user=HEMI, channel=GORE)
    gore.say("/deadline add Six-monthly report due 15/12", user=LISA, channel=GORE)
    gore.say(
        "/indicator add Truancy cases closed unit % baseline 18 (2011) outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    gore.say("/indicator record I-1 96 for 2013", user=LISA, channel=GORE)
    gore.say("/group status transitioning", user=DIRECTOR, channel=GORE)
    gore.say('/transition decide P-1 continue by "Hokonui Rūnanga"', user=LISA, channel=GORE)
    # Another trial, whose records must stay out of Gore's archive.
    gore.say("/group setup Rānui lead <@UARO|aro>", user=DIRECTOR, channel=RANUI)
    gore.say("/task add Rānui secret plan", user="UARO", channel=RANUI)
    gore.say("/programme add Rānui youth hub funding 77k", user="UARO", channel=RANUI)


def _unzipped(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {Path(name).name: archive.read(name) for name in archive.namelist()}


def _check_the_archive(files: dict[str, bytes]) -> None:
    kinds = [
        "members", "outcomes", "tasks", "updates", "meetings", "agenda_items", "attendance",
        "decisions", "deadlines", "indicators", "indicator_values", "programmes",
        "review_decisions", "audit_log",
    ]  # fmt: skip
    for kind in kinds:
        assert f"{kind}.csv" in files and f"{kind}.json" in files, kind
    readme = files["README.md"].decode()
    listed = dict(re.findall(r"\| (\S+) \| [\d,]+ \| `([0-9a-f]{64})` \|", readme))
    assert set(listed) == set(files) - {"README.md"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    for kind in kinds:
        rows = list(csv.DictReader(io.StringIO(files[f"{kind}.csv"].decode("utf-8-sig"))))
        body = json.loads(files[f"{kind}.json"])
        assert len(rows) == len(body["rows"]), kind
        assert list(rows[0]) == body["columns"] if rows else True
    tasks = json.loads(files["tasks.json"])["rows"]
    assert [t["title"] for t in tasks] == ["Hire a truancy officer"]
    assert tasks[0]["programme_item_id"] == 1
    programmes = list(csv.DictReader(io.StringIO(files["programmes.csv"].decode("utf-8-sig"))))
    assert [p["name"] for p in programmes] == ["Truancy officer", "Youth hub", "Trial lead role"]
    assert (
        programmes[0]["funding_cents"] == "12000000"
        and programmes[0]["provider"] == "Hokonui Rūnanga"
    )
    assert json.loads(files["review_decisions.json"])["rows"][0]["carried_by"] == "Hokonui Rūnanga"
    assert json.loads(files["updates.json"])["rows"][0]["text"] == "Two interviews booked"
    everything = b"".join(files.values())
    assert "Rānui".encode() not in everything and b"UARO" not in everything
    (report,) = [name for name in files if name.endswith(".docx")]
    document = Document(io.BytesIO(files[report]))
    assert document.core_properties.subject == "Gore District"


def test_handover_archives_every_record_and_makes_the_trial_read_only(
    gore: Slack, database: Database, fake_slack: FakeSlack, settings: Settings
) -> None:
    _a_trial_with_everything(gore)
    assert_refused(
        gore,
        database,
        "/group handover",
        "locally-led, exited or concluded",
        user=LISA,
        channel=GORE,
    )
    gore.say("/group status locally-led", user=DIRECTOR, channel=GORE)
    assert_refused(gore, database, "/group handover", "Only the lead", user=HEMI, channel=GORE)
    done = _final(gore, "/group handover", user=LISA, channel=GORE)
    assert "Handed over on Mon 23 Nov 2026" in done.text
    uploads = fake_slack.calls_to("files.completeUploadExternal")
    assert {u.params["channel_id"] for u in uploads[-2:]} == {GORE, "D" + DIRECTOR[1:]}
    archives = fake_slack.files_named(".zip", count=2)
    assert archives[0] == archives[1]
    _check_the_archive(_unzipped(archives[0]))

    before = audit_count(database)
    for line, user in (
        ("/task add Another action", LISA),
        ("/task add Another action", DIRECTOR),
        ("/task done T-1", HEMI),
        ("/update T-1 at-risk 50% Slipping", HEMI),
        ("/meeting schedule 14/12 10am", LISA),
        ("/agenda add One more thing", HEMI),
        ("/deadline add Final report due 20/12", LISA),
        ("/indicator record I-1 97 for 2014", LISA),
        ("/programme add Breakfast club", LISA),
        ("/programme end P-2", LISA),
        ("/transition decide P-2 exit", LISA),
        ("/group add <@UNEW|new> community", LISA),
        ("/group set region Southland", LISA),
        ("/group away until 15/12", HEMI),
    ):
        reply = gore.say(line, user=user, channel=GORE)
        assert reply.ephemeral and "was handed over on Mon 23 Nov 2026 by <@ULISA>" in reply.text, (
            line,
            reply.text,
        )
        assert "can reopen it with `/group status active`" in reply.text
    assert audit_count(database) == before
    # Nor from a button: Done on the task's card.
    card = gore.say("/task show T-1", user=HEMI, channel=GORE)
    clicked = Interactions(gore).click(buttons(card)["task_done"], user=HEMI, channel=GORE)
    answer = gore.fake.wait_for("response_url", hook=clicked.hook)[0].params["text"]
    assert "was handed over" in answer
    assert audit_count(database) == before
    # Reading still works, and the archive can be made again.
    assert "Hire a truancy officer" in gore.say("/task list", user=HEMI, channel=GORE).text
    again = _final(gore, "/group handover", user=DIRECTOR, channel=GORE)
    assert "stays read-only" in again.text
    # Its reminders stop: the task due 15/12 gets none.
    sweep(
        now=datetime(2026, 12, 14, 9, 5, tzinfo=NZ),
        database=database,
        client=make_client(settings),
        settings=settings,
        me="test",
    )
    assert not [r for r in fake_slack.delivered_reminders() if r[1] in ("T-1", "D-1", "D-2")]
    # The Director reopens it.
    reopened = gore.say("/group status active", user=DIRECTOR, channel=GORE)
    assert "open again" in reopened.text
    added = gore.say("/task add Another action", user=LISA, channel=GORE)
    assert "T-3" in added.text and not added.ephemeral


def test_advisory_bot_export_writes_the_same_archive_without_slack(
    gore: Slack, database: Database, tmp_path: Path
) -> None:
    _a_trial_with_everything(gore)
    url = database.url.render_as_string(hide_password=False)
    out = tmp_path / "gore.zip"
    watching = FakeSlack().start()  # a Slack of its own: the export must not call it
    done = subprocess.run(
        [SCRIPT, "export", "--trial", "gore district", "--out", str(out)],
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=watching.url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Gore District, 34 files and a README" in done.stdout
    _check_the_archive(_unzipped(out.read_bytes()))
    watching.stop()
    assert watching.calls == []  # no Slack
    with database.session(write=False) as session:
        assert (
            session.exec(select(Trial).where(Trial.name == "Gore District")).one().handed_over_at
            is None
        )
    for args, says in (
        (["--trial", "Nowhere", "--out", str(tmp_path / "x.zip")], "no trial is called “Nowhere”"),
        (["--trial", "Gore", "--out", str(tmp_path / "x.txt")], "ending .zip"),
        (["--trial", "Gore", "--out", str(tmp_path / "missing" / "x.zip")], "No such file"),
    ):
        failed = subprocess.run(
            [SCRIPT, "export", *args], cwd=tmp_path, env=clean_env(DATABASE_URL=url),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert failed.returncode == 1 and says in failed.stderr, failed.stderr
        assert "Traceback" not in failed.stderr

"""Indicators and report drafts over signed HTTP requests; documents opened with
python-docx. The bot's clock is Monday 23 November 2026 (tests/conftest.py NOW)."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest
from docx import Document
from sqlalchemy import event
from sqlmodel import select

from bot.app import make_client
from bot.config import Settings
from models import reports, summaries
from models.db import Database
from models.tables import (
    AgendaItem,
    AuditLog,
    Meeting,
    MeetingAttendance,
    Member,
    Task,
    Trial,
)
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, NZ
from tests.harness import data
from tests.harness.checks import assert_refused
from tests.harness.slack_requests import Interactions, Slack
from ui.parsing import parse_period


@pytest.fixture
def group(gore: Slack) -> Slack:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f"/group add <@{ARO}|aro> agency as chair", user=LISA, channel=GORE)
    return gore


def _docx_text(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return lines


def test_one_series_in_the_summary_the_show_and_the_report(
    group: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    added = group.say(
        "/indicator add Persistent truancy cases closed unit % baseline 21 (2011) "
        "target 90 outcome Reduce truancy",
        user=ARO,
        channel=GORE,
    )  # a chair may
    assert "Added *I-1* “Persistent truancy cases closed” to “Reduce truancy”" in added.text
    group.say('/indicator record I-1 45 for 2012 source "School records"', user=LISA, channel=GORE)
    group.say("/indicator record i1 78% for 2013", user=LISA, channel=GORE)
    corrected = group.say(
        '/indicator record truancy cases 60 for 2012 source "Revised"', user=LISA, channel=GORE
    )
    assert "60% for 2012 (corrected from 45%" in corrected.text
    group.say("/indicator record I-1 81 for 2014", user=ARO, channel=GORE)
    with database.session(write=False) as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action == "indicator.corrected")).one()
    assert json.loads(audit.detail or "{}")["previous"] == 45

    shown = group.say("/indicator show I-1", user=HEMI, channel=GORE)  # members read
    for line in (
        "Baseline 2011: 21%",
        "2012: *60%* — Revised",
        "2013: *78%*",
        "2014: *81%*",
        "Target: 90%",
    ):
        assert line in shown.text, line
    chart = fake_slack.files_named(".png")[-1]
    assert chart.startswith(b"\x89PNG\r\n\x1a\n") and chart[12:16] == b"IHDR"

    headline = "Persistent truancy cases closed: 21% (2011) → 81% (2014) ↑ towards target"
    assert headline in shown.text
    assert headline in group.say("/summary", user=HEMI, channel=GORE).text
    assert (
        "21% (2011) → 81% (2014)"
        in group.say("/summary all", user=DIRECTOR, channel="CDIRECTORATE").text
    )
    listing = group.say("/indicator list", user=HEMI, channel=GORE)
    assert "*I-1* " + headline in listing.text

    group.say("/report draft 2014", user=LISA, channel=GORE)
    text = _docx_text(fake_slack.files_named(".docx")[-1])
    assert "I-1 Persistent truancy cases closed, target 90% | 21% (2011) | 81% (2014) | —" in text
    group.say("/report draft 2013", user=LISA, channel=GORE)
    older = _docx_text(fake_slack.files_named(".docx", count=2)[-1])
    assert any("78% (2013)" in line for line in older)  # the latest value in that period
    group.say("/report draft H2 2026", user=LISA, channel=GORE)
    now = _docx_text(fake_slack.files_named(".docx", count=3)[-1])
    assert any("None in this period; last recorded 81% (2014)" in line for line in now)
    assert not any("| 81% (2014) |" in line for line in now)  # 2014 is not 2026's latest


def test_a_report_holds_exactly_what_happened_in_its_period(
    group: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    group.say("/task add Hire a truancy officer outcome Reduce truancy", user=LISA, channel=GORE)
    with database.session() as session:
        trial = session.exec(select(Trial)).one()
        members = {m.slack_user_id: m for m in session.exec(select(Member)).all()}
        outcome_id = session.get(Task, 1).outcome_id  # type: ignore[union-attr]

        def task(title: str, status: str, completed: datetime | None, created: datetime) -> None:
            session.add(
                Task(
                    trial_id=trial.id,
                    outcome_id=outcome_id,
                    title=title,
                    status=status,
                    owner_member_id=members[HEMI].id,
                    created_by=LISA,
                    completed_at=completed,
                    created_at=created,
                    updated_at=created,
                    percent=100 if status == "done" else 40,
                )
            )

        task(
            "Breakfast clubs in every school",
            "done",
            datetime(2026, 3, 10, tzinfo=UTC),
            datetime(2026, 1, 5, tzinfo=UTC),
        )
        task(
            "Holiday programme 2025",
            "done",
            datetime(2025, 12, 1, tzinfo=UTC),
            datetime(2025, 9, 1, tzinfo=UTC),
        )
        task("Rock-On truancy approach", "blocked", None, datetime(2026, 2, 1, tzinfo=UTC))
        task("Youth hub lease", "on-track", None, datetime(2026, 8, 1, tzinfo=UTC))  # after
        held = Meeting(
            trial_id=trial.id,
            starts_at=datetime(2026, 4, 1, 21, tzinfo=UTC),
            status="held",
            minutes="Agreed to fund the breakfast clubs.",
            created_by=LISA,
        )
        outside = Meeting(
            trial_id=trial.id,
            starts_at=datetime(2026, 9, 1, 21, tzinfo=UTC),
            status="held",
            minutes="Out of the period.",
            created_by=LISA,
        )
        session.add_all([held, outside])
        session.flush()
        session.add_all(
            [
                MeetingAttendance(meeting_id=held.id, member_id=members[HEMI].id),
                MeetingAttendance(meeting_id=held.id, member_id=members[ARO].id),
                AgendaItem(
                    meeting_id=held.id,
                    title="Breakfast clubs",
                    proposer_user_id=HEMI,
                    position=1,
                    status="discussed",
                    decision="Fund them for two terms",
                ),
            ]
        )
    refused = group.say("/report draft H1 2026", user=HEMI, channel=GORE)
    assert "Only the lead of Gore District" in refused.text and "Drafting" not in refused.text
    group.say("/report draft H1 2026", user=LISA, channel=GORE)
    text = "\n".join(_docx_text(fake_slack.files_named(".docx")[-1]))
    assert "For the period Thu 1 Jan 2026 to Tue 30 Jun 2026" in text
    section = text.split("Outcome: Reduce truancy")[1].split("Meetings held")[0]
    assert "Completed: T-2 Breakfast clubs in every school" in section
    assert "Blocked: T-4 Rock-On truancy approach" in section
    assert "Holiday programme 2025" not in text  # completed before the period
    assert "Youth hub lease" not in text and "Hire a truancy officer" not in text  # after it
    assert (
        "attendance Government agencies 1, Iwi 1; not at the table: Council, Community, "
        "Social-service providers. Decisions: Breakfast clubs: Fund them for two terms. "
        "Minutes: Agreed to fund the breakfast clubs." in text
    )
    assert "Out of the period" not in text
    assert "Reporting deadlines\nNothing recorded." in text
    markdown = [
        c
        for c in fake_slack.calls_to("files.getUploadURLExternal")
        if str(c.params.get("filename")).endswith(".md")
    ]
    assert markdown  # and a Markdown copy went with it


BAD = [
    ("/indicator record I-9 50 for 2013", "There is no indicator I-9"),
    ("/indicator record housing 50 for 2013", "has no indicator called “housing”"),
    ("/indicator record I-1 lots for 2013", "“lots” is not a number"),
    ("/indicator record I-1 50 for someday", "can't read “someday” as a period"),
    ("/indicator record I-1 50", "Say which period"),
    ("/indicator add Truancy outcome", "`outcome` needs something after it"),
    ("/indicator add Truancy unit furlongs outcome Reduce truancy", "is not a unit"),
    ("/indicator add Truancy baseline many outcome Reduce truancy", "is not a number"),
    ("/report draft 2013/15", "can't read “2013/15” as a period"),
    ("/report frobnicate", "I don't know `/report frobnicate`"),
]


@pytest.mark.parametrize(("line", "says"), BAD, ids=[b[1] for b in BAD])
def test_bad_input_gets_a_clear_reply_and_changes_nothing(
    group: Slack, database: Database, line: str, says: str
) -> None:
    group.say(
        "/indicator add Persistent truancy cases closed unit % outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    assert_refused(group, database, line, says, user=LISA, channel=GORE)


def test_members_cannot_record_indicators_or_draft_reports(
    group: Slack, database: Database
) -> None:
    group.say("/indicator add Truancy unit % outcome Reduce truancy", user=LISA, channel=GORE)
    assert_refused(
        group,
        database,
        "/indicator record I-1 50 for 2013",
        "Only the lead of Gore District (<@ULISA>), the chair of Gore District "
        "(<@UARO>) or the Director",
        user=HEMI,
        channel=GORE,
    )
    assert_refused(
        group, database, "/report draft", "Only the lead of Gore District", user=HEMI, channel=GORE
    )
    assert_refused(
        group, database, "/report draft all", "Only the Director", user=LISA, channel=GORE
    )


def test_a_report_deadline_reminder_offers_to_draft_the_report(
    group: Slack, database: Database, fake_slack: FakeSlack, settings: Settings
) -> None:
    group.say(
        "/deadline add Six-monthly progress report to Ministers due 15/12", user=LISA, channel=GORE
    )
    sweep(
        now=datetime(2026, 12, 1, 9, 0, tzinfo=settings.tz),
        database=database,
        client=make_client(settings),
        settings=settings,
        me="test",
    )
    reminder = fake_slack.wait_for("chat.postMessage")[0].params
    button = next(
        e
        for b in reminder["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == "report_draft"
    )
    Interactions(group).click(button, user=LISA, channel="DLISA")
    document = _docx_text(fake_slack.files_named(".docx")[-1])
    assert "Gore District: progress report (draft)" in document
    completed = fake_slack.wait_for("files.completeUploadExternal")[0].params
    assert completed["channel_id"] == "DLISA"


def test_the_national_report_runs_the_same_few_queries_at_any_size(database: Database) -> None:
    period = parse_period("H2 2026")
    today = date(2026, 11, 23)
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)

    def count() -> int:
        statements: list[str] = []

        def listener(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(database.engine, "before_cursor_execute", listener)
        try:
            with database.session(write=False) as session:
                rows = summaries.measures(session=session, today=today, now=now)
                reports.report_data(
                    session=session, trials=[m.trial for m in rows], period=period, tz=NZ
                )
        finally:
            event.remove(database.engine, "before_cursor_execute", listener)
        return sum(1 for s in statements if not s.startswith("BEGIN"))

    with database.session() as session:
        data.programme(session, trials=2, tasks=10, updates=1, today=today, prefix="Small")
    small = count()
    with database.session() as session:
        data.programme(session, trials=16, tasks=200, updates=2, today=today, prefix="Large")
    assert count() == small <= 16  # measures, then the report's own: programmes among them

"""Second thoughts: a task renamed or dropped, a deadline waived or moved, each by the
owner or lead (the Director for national deadlines), audited, and the rest following."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from bot.config import Settings
from models.db import Database
from models.tables import AuditLog, Deadline, Task
from scheduler.sweep import sweep
from tests.conftest import DIRECTOR, DIRECTORATE, GORE, HEMI, LISA, NZ
from tests.harness.checks import assert_refused
from tests.harness.slack_requests import Slack


def test_a_task_renamed_and_dropped_stays_in_its_history(gore: Slack, database: Database) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say("/task add Hire a truancy officer owner @hemi due 15/12", user=LISA, channel=GORE)
    renamed = gore.say("/task rename T-1 Hire a school attendance officer", user=HEMI, channel=GORE)
    assert "renamed *T-1* “Hire a truancy officer” to “Hire a school attendance officer”" in (
        renamed.text
    )
    assert_refused(
        gore, database, "/task rename T-1 Something else", "Only", user="USTRANGER", channel=GORE
    )
    dropped = gore.say("/task drop T-1 The school runs its own programme", user=LISA, channel=GORE)
    assert "dropped *T-1*" in dropped.text and not dropped.ephemeral
    assert "T-1" not in gore.say("/task list", user=LISA, channel=GORE).text.replace("/task", "")
    shown = gore.say("/task show T-1", user=LISA, channel=GORE).text
    assert "Hire a school attendance officer" in shown and "The school runs its own" in shown
    again = gore.say("/task drop T-1", user=LISA, channel=GORE)
    assert "dropped already. Nothing changed." in again.text
    with database.session(write=False) as session:
        assert session.get(Task, 1).status == "dropped"  # type: ignore[union-attr]
        actions = {a.action for a in session.exec(select(AuditLog))}
    assert "task.renamed" in actions


def test_a_waived_deadline_stops_reminding_and_a_moved_one_reminds_on_its_new_date(
    gore: Slack, database: Database, settings: Settings
) -> None:
    gore.say("/deadline add Six-monthly report due 15/12", user=LISA, channel=GORE)
    gore.say("/deadline add Quarterly return due 4/12", user=LISA, channel=GORE)
    assert_refused(
        gore, database, "/deadline waive D-1", "Say why it is waived", user=LISA, channel=GORE
    )
    waived = gore.say("/deadline waive D-1 Combined with the June report", user=LISA, channel=GORE)
    assert "waived *D-1*" in waived.text and "Combined with the June report" in waived.text
    assert not waived.ephemeral  # the group is told
    moved = gore.say("/deadline due D-2 11/12", user=LISA, channel=GORE)
    assert "from Fri 4 Dec 2026 to Fri 11 Dec 2026" in moved.text

    def due_at(day: int) -> list[str]:
        at = datetime(2026, 12, day, 9, 5, tzinfo=NZ)
        result = sweep(
            now=at, database=database, client=None, settings=settings, me="test", dry_run=True
        )
        return [line.split()[1] for line in result.lines if line.startswith("deadline")]

    assert "D-1" not in due_at(14) + due_at(15)  # D-1 waived: nothing, not even on its day
    assert due_at(3) == [] and "D-2" in due_at(10)  # D-2 reminds the day before its new date
    listing = gore.say("/deadline list", user=LISA, channel=GORE).text
    assert "D-1" not in listing and "D-2" in listing
    with database.session(write=False) as session:
        assert session.get(Deadline, 1).status == "waived"  # type: ignore[union-attr]


def test_only_the_director_waives_or_moves_a_national_deadline(
    gore: Slack, database: Database
) -> None:
    gore.say(
        "/deadline add Report to the Board due 31/1/2027 national",
        user=DIRECTOR,
        channel=DIRECTORATE,
    )
    assert_refused(
        gore,
        database,
        "/deadline waive D-1 Not needed",
        "Only the Director",
        user=LISA,
        channel=GORE,
    )
    assert_refused(
        gore, database, "/deadline due D-1 28/2/2027", "Only the Director", user=LISA, channel=GORE
    )
    assert "waived" in gore.say("/deadline waive D-1 Not needed", user=DIRECTOR, channel=GORE).text

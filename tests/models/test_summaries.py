"""Summaries: a constant number of SQL statements at any size, and each red/amber/green
rule with the reason it gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from models.db import Database
from models.summaries import Measures, measures, rate, trial_summary
from models.tables import Deadline, Trial
from tests.harness import data

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def _counts(database: Database) -> tuple[int, int]:
    with database.session(write=False) as session:
        with counting(database) as national:
            rows = measures(session=session, today=TODAY, now=NOW)
        with counting(database) as one:
            trial_summary(session=session, trial=rows[0].trial, today=TODAY, now=NOW)
    return len(national), len(one)


def test_summaries_run_the_same_few_queries_at_any_size(database: Database) -> None:
    with database.session() as session:
        data.programme(session, trials=2, tasks=10, updates=0, today=TODAY, prefix="Small")
    small = _counts(database)
    with database.session() as session:
        data.programme(session, trials=16, tasks=200, updates=5, today=TODAY, prefix="Large")
    large = _counts(database)
    assert small == large
    assert max(large) <= 10, large


def _measures(**values: object) -> Measures:
    trial = Trial(
        id=1,
        name="Gore District",
        name_key="gore district",
        status=str(values.pop("trial_status", "active")),
    )
    return Measures(trial=trial, **values)  # type: ignore[arg-type]


def _deadline(number: int) -> Deadline:
    return Deadline(
        id=number, trial_id=1, title="Report", due_date=date(2026, 11, 20), created_by="U1"
    )


@pytest.mark.parametrize(
    ("values", "status", "reasons"),
    [
        ({"open": 10}, "green", ["No overdue deadlines or tasks, nothing blocked"]),
        (
            {"open": 10, "overdue_deadlines": [_deadline(3)]},
            "red",
            ["1 reporting deadline overdue (D-3)"],
        ),
        ({"open": 8, "overdue": 3}, "red", ["3 of 8 open tasks are overdue"]),
        ({"open": 8, "overdue": 2}, "amber", ["2 tasks overdue"]),
        ({"open": 8, "blocked": 1}, "amber", ["1 task blocked"]),
        ({"open": 8, "stale": 4}, "amber", ["4 of 8 open tasks have had no update for 30 days"]),
        ({"open": 8, "stale": 3}, "green", ["No overdue deadlines or tasks, nothing blocked"]),
        (
            {"open": 8, "absent_sectors": ["iwi", "council"]},
            "amber",
            ["Iwi, Council missed the last two meetings"],
        ),
        (
            {
                "open": 8,
                "overdue": 1,
                "blocked": 2,
                "overdue_deadlines": [_deadline(3), _deadline(4)],
            },
            "red",
            ["2 reporting deadlines overdue (D-3, D-4)", "1 task overdue", "2 tasks blocked"],
        ),
        ({"open": 8, "overdue": 5, "trial_status": "exited"}, "closed", ["The trial has exited."]),
    ],
    ids=[
        "green",
        "deadline-overdue",
        "quarter-overdue",
        "some-overdue",
        "blocked",
        "stale",
        "stale-under-half",
        "sectors-absent",
        "worst-first",
        "exited",
    ],
)
def test_red_amber_green_rules_and_their_reasons(
    values: dict[str, object], status: str, reasons: list[str]
) -> None:
    rated, phrases = rate(_measures(**values))
    assert (rated, [str(phrase) for phrase in phrases]) == (status, reasons)


def test_the_roll_up_puts_trials_needing_attention_first(database: Database) -> None:
    with database.session() as session:
        data.programme(session, trials=3, tasks=14, updates=1, today=TODAY)
        calm = data.trial(session, "Aardvark Calm", channel="CCALM")
        data.member(session, calm, "UCALM", role="lead")
    with database.session(write=False) as session:
        rows = measures(session=session, today=TODAY, now=NOW)
    assert [m.status for m in rows][-1] == "green" and rows[-1].trial.name == "Aardvark Calm"
    assert rows[0].status == "red"
    first = rows[0]
    assert first.total == 14 and sum(o.total for o in first.outcomes) == 14
    assert first.next_meeting is not None and first.sectors

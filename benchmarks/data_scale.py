"""Scale of the data: a trial summary, the national roll-up and `/task list`, at 1×, 10×
and 100× the data (16 trials × 20, 200, 2,000 tasks, 5 updates each): time and SQL
statements. Goal (issue 8): growth well under linear (constant queries, indexed filters)."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from models import summaries, tasks
from models.db import Database
from models.migrate import upgrade
from tests.harness import data

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
SIZES = {"1x": 20, "10x": 200, "100x": 2000}


def timed(database: Database, work: Callable[[Any], object]) -> tuple[float, int]:
    statements: list[str] = []

    def listener(*args: object) -> None:
        statements.append(str(args[2]))

    best = float("inf")
    for run in range(7):
        if run == 6:
            event.listen(database.engine, "before_cursor_execute", listener)
        with database.session(write=False) as session:
            started = time.perf_counter()
            work(session)
            best = min(best, time.perf_counter() - started)
    event.remove(database.engine, "before_cursor_execute", listener)
    return best * 1000, sum(1 for s in statements if not s.startswith("BEGIN"))


def main() -> dict[str, Any]:
    results: dict[str, Any] = {}
    folder = Path(tempfile.mkdtemp())
    for size, count in SIZES.items():
        database = Database(f"sqlite:///{folder / size}.db")
        upgrade(database)
        with database.session() as session:
            trials = data.programme(session, trials=16, tasks=count, updates=5, today=TODAY)
        trial = trials[0]
        results[size] = {
            "trial_summary": timed(
                database,
                lambda s, trial=trial: summaries.trial_summary(
                    session=s, trial=trial, today=TODAY, now=NOW
                ),
            ),
            "national": timed(
                database, lambda s: summaries.measures(session=s, today=TODAY, now=NOW)
            ),
            "task_list": timed(
                database,
                lambda s, trial=trial: tasks.list_tasks(
                    session=s, trial=trial, query=tasks.TaskQuery()
                ),
            ),
        }
        database.dispose()
    return results


def table(results: dict[str, Any]) -> str:
    lines = [f"{'size':<6}{'tasks':>7}{'trial summary':>18}{'national':>16}{'/task list':>16}"]
    for size, count in SIZES.items():
        r = results[size]
        cells = "".join(
            f"{r[k][0]:>10.1f}ms ({r[k][1]}q)" for k in ("trial_summary", "national", "task_list")
        )
        lines.append(f"{size:<6}{count * 16:>7}{cells}")
    growth = results["100x"]["national"][0] / results["1x"]["national"][0]
    lines.append(f"100× the data: national roll-up {growth:.1f}× the time, same queries")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(main()))

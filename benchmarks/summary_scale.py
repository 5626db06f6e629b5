"""How summaries scale: a trial summary and the national roll-up at the small size
(2 trials × 10 tasks) and the large one (16 trials × 2,000 tasks × 5 updates), in one run.

    python benchmarks/summary_scale.py [--database-url URL] [--json out.json]

Each figure is the best of several runs of what `/summary` and `/summary all` build:
the measures from the database and the Block Kit message. Goal (issue 6): the national
roll-up at the large size under 5 times the small one.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text

from models.db import Database
from models.migrate import upgrade
from models.summaries import measures
from models.summaries import trial_summary as summary_data
from tests.harness import data
from ui.blocks.summaries import national_rollup, trial_summary

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TZ = ZoneInfo("Pacific/Auckland")
SIZES = {"small": (2, 10, 0), "large": (16, 2000, 5)}
RUNS = 15


def fresh_database(url: str | None, name: str, folder: Path) -> Database:
    if url is None:
        database = Database(f"sqlite:///{folder / name}.db")
    else:
        database = Database(url)
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(database)
    return database


def best_of(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(database: Database) -> dict[str, float]:
    statements = []
    event.listen(database.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def national() -> object:
        with database.session(write=False) as session:
            rows = measures(session=session, today=TODAY, now=NOW)
        return national_rollup(rows, TODAY)

    def one_trial() -> object:
        with database.session(write=False) as session:
            trial = measures(session=session, today=TODAY, now=NOW)[0].trial
            summary = summary_data(session=session, trial=trial, today=TODAY, now=NOW)
        return trial_summary(summary, TODAY, TZ)

    results = {"national_ms": best_of(national) * 1000, "trial_ms": best_of(one_trial) * 1000}
    statements.clear()
    national()
    results["national_queries"] = sum(1 for s in statements if not s.startswith("BEGIN"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL to use (its schema is wiped)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size, (trials, tasks, updates) in SIZES.items():
            database = fresh_database(args.database_url, size, Path(folder))
            with database.session() as session:
                data.programme(session, trials=trials, tasks=tasks, updates=updates, today=TODAY)
            results[size] = measure(database)
            database.dispose()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Summaries on {backend}, best of {RUNS} runs")
    print(
        f"{'size':<8}{'trials×tasks×updates':<24}{'national ms':>12}{'trial ms':>10}{'queries':>9}"
    )
    for size, (trials, tasks, updates) in SIZES.items():
        r = results[size]
        print(
            f"{size:<8}{f'{trials}×{tasks}×{updates}':<24}{r['national_ms']:>12.2f}"
            f"{r['trial_ms']:>10.2f}{int(r['national_queries']):>9}"
        )
    ratio = results["large"]["national_ms"] / results["small"]["national_ms"]
    trial_ratio = results["large"]["trial_ms"] / results["small"]["trial_ms"]
    print(
        f"large/small: national roll-up {ratio:.2f}× (goal < 5×), trial summary {trial_ratio:.2f}×"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "backend": backend,
                    "results": results,
                    "national_ratio": ratio,
                    "trial_ratio": trial_ratio,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

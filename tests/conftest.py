"""Fixtures, written once: databases (SQLite and PostgreSQL), the fake Slack, the running
app, and the Socket Mode server. Tests read like a conversation:

    reply = slack.say("/group list", user=LISA, channel=GORE)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from bot.app import create_app
from bot.config import Settings
from bot.server import EVENTS_PATH
from handlers.background import Background
from models.db import Database, make_engine
from models.migrate import upgrade
from simulator.web_api import FakeSlack
from tests.harness.serving import serving
from tests.harness.slack_requests import Slack

DIRECTOR = "UDIRECTOR"
LISA = "ULISA"  # Gore District's lead
HEMI = "UHEMI"
ARO = "UARO"
GORE = "CGORE"
RANUI = "CRANUI"
DIRECTORATE = "CDIRECTORATE"  # DIRECTOR_CHANNEL_ID: where the Director reads every trial
SIGNING_SECRET = "test-signing-secret-0123456789"
METRICS_TOKEN = "test-metrics-token-9876543210"  # the operator's, for /metrics on PORT
# The bot's clock in tests: a Monday morning in Auckland, so relative dates are fixed.
NZ = ZoneInfo("Pacific/Auckland")
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=NZ)
FORBID_SKIPS = os.environ.get("ADVISORY_FORBID_SKIPS") == "1"
# Wall clocks a test that takes `wall_clock` runs under, in turn: its result must not
# depend on when the suite runs (New Zealand's midnight, just after the 09:00 sweep, a
# day's last minute, and the night daylight saving ends: 3 a.m. NZDT is 2 a.m. NZST).
WALL_CLOCKS = {
    "nz-midnight": datetime(2026, 12, 8, 0, 0, tzinfo=NZ),
    "nz-0905": datetime(2026, 12, 8, 9, 5, tzinfo=NZ),
    "nz-2359": datetime(2026, 12, 14, 23, 59, tzinfo=NZ),
    "nz-dst-ends": datetime(2027, 4, 4, 2, 30, fold=1, tzinfo=NZ),
}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a skipped test is a failure: the PostgreSQL tests must really run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if FORBID_SKIPS and skipped:
        reporter.write_line(
            f"ADVISORY_FORBID_SKIPS=1 and {len(skipped)} test(s) skipped: failing.", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(params=list(WALL_CLOCKS.values()), ids=list(WALL_CLOCKS))
def wall_clock(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """The machine's clock set to each of WALL_CLOCKS in turn (and ticking from there),
    for everything in this process: records' timestamps, Slack's signatures, `utcnow`."""
    with time_machine.travel(request.param, tick=True):
        yield request.param


# ----- databases --------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "advisory.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test run, dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        message = "TEST_DATABASE_URL is not set: PostgreSQL tests cannot run"
        if FORBID_SKIPS:
            pytest.fail(message)
        pytest.skip(message)
    name = f"advisory_test_{os.getpid()}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    database = Database(url)
    upgrade(database)
    database.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(database: Database) -> None:
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "advisory.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        _empty_postgres(db)
    yield db
    db.dispose()


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[Database]:
    """The PostgreSQL test database, empty, for tests that are about PostgreSQL itself."""
    database = Database(postgres_url)
    _empty_postgres(database)
    yield database
    database.dispose()


# ----- Slack --------------------------------------------------------------------------


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()
    assert fake.violations == [], "Slack would have refused these messages or views"


@pytest.fixture
def settings(fake_slack: FakeSlack, database: Database) -> Settings:
    return Settings(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.url,
        database_url=database.url.render_as_string(hide_password=False),
        director_user_ids=frozenset({DIRECTOR}),
        director_channel_id=DIRECTORATE,
    )


@pytest.fixture
def slack(settings: Settings, database: Database, fake_slack: FakeSlack) -> Iterator[Slack]:
    """The real app, handed signed requests in-process (`app.dispatch`); Slack's side of it."""
    background = Background()
    app = create_app(settings, database=database, clock=lambda: NOW, background=background)
    yield Slack(EVENTS_PATH, SIGNING_SECRET, fake_slack, app=app)
    background.shutdown()  # as `advisory-bot run` does: replies already owed are sent


@pytest.fixture
def served_slack(settings: Settings, database: Database, fake_slack: FakeSlack) -> Iterator[Slack]:
    """The real app served over HTTP by waitress on a free port, for the server's tests."""
    background = Background()
    app = create_app(settings, database=database, clock=lambda: NOW, background=background)
    with serving(app, database, SIGNING_SECRET, metrics_token=METRICS_TOKEN) as base_url:
        yield Slack(base_url + EVENTS_PATH, SIGNING_SECRET, fake_slack)
    background.shutdown()


@pytest.fixture
def gore(slack: Slack) -> Slack:
    """Gore District linked to its channel, with Lisa as lead."""
    reply = slack.say(
        f"/group setup Gore District lead <@{LISA}|lisa>", user=DIRECTOR, channel=GORE
    )
    assert "Gore District" in reply.text
    return slack

"""The database: migrations from nothing, SQLite's concurrency settings, UTC times,
and the constraints that keep data whole."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import SQLModel, func, select

from models import tasks
from models.db import (
    PING_WHEN_IDLE_SECONDS,
    Database,
    Rehearsed,
    UndeclaredWrite,
    make_engine,
    normalise_url,
    rows,
)
from models.migrate import check, upgrade
from models.tables import AuditLog, Meeting, Member, Task, Trial, pk
from tests.harness import data


@pytest.fixture
def fresh_postgres() -> Iterator[Database]:
    """A brand-new, empty PostgreSQL database, dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"advisory_fresh_{os.getpid()}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(make_url(base).set(database=name))
    yield database
    database.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_is_created_and_migrated_from_nothing(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'new.db'}")
    else:
        database = request.getfixturevalue("fresh_postgres")
    upgrade(database)
    tables = set(inspect(database.engine).get_table_names())
    assert {table.name for table in SQLModel.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables
    check(database)  # models and migrations agree (raises otherwise)
    upgrade(database)  # running it again is harmless
    database.dispose()


def test_bare_postgresql_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.db").drivername == "sqlite"


def test_sqlite_pragmas(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'p.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    database.dispose()


def test_eight_threads_writing_to_one_sqlite_file_never_see_database_is_locked(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "busy.db"
    path.write_bytes(sqlite_template.read_bytes())
    database = Database(f"sqlite:///{path}", pool_size=8)
    with database.session() as session:
        trial = Trial(name="Kawerau District", name_key="kawerau district")
        session.add(trial)
        session.flush()
        trial_id = trial.id
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(number: int) -> None:
        try:
            start.wait()
            for _ in range(100):
                with database.session() as session:
                    # Read, then write, in one transaction: the pattern that deadlocks
                    # without BEGIN IMMEDIATE.
                    count = session.exec(select(func.count()).select_from(AuditLog)).one()
                    session.add(
                        AuditLog(
                            actor_user_id=f"U{number}",
                            action="test.write",
                            entity="trial",
                            entity_id=count,
                            trial_id=trial_id,
                        )
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session(write=False) as session:
        assert session.exec(select(func.count()).select_from(AuditLog)).one() == 800
    database.dispose()


def test_times_are_stored_in_utc_and_read_back_aware(database: Database) -> None:
    auckland = timezone(timedelta(hours=13))
    starts = datetime(2027, 1, 15, 10, 0, tzinfo=auckland)
    with database.session() as session:
        trial = Trial(name="Gore District", name_key="gore district")
        session.add(trial)
        session.flush()
        session.add(Meeting(trial_id=trial.id, starts_at=starts, created_by="U1"))
    with database.session(write=False) as session:
        stored = session.exec(select(Meeting)).one().starts_at
    assert stored == starts and stored.tzinfo == UTC
    assert stored.hour == 21  # 10:00 NZDT is 21:00 UTC the day before


def test_naive_times_are_refused(database: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"), database.session() as session:
        session.add(Trial(name="Porirua", name_key="porirua", created_at=datetime(2026, 1, 1)))


@pytest.mark.parametrize(
    "bad",
    [
        Member(trial_id=999, slack_user_id="U1", sector="iwi"),  # no such trial
        Member(trial_id=1, slack_user_id="U1", sector="church"),  # not a sector
        Member(trial_id=1, slack_user_id="U1", sector="iwi", role="boss"),  # not a role
    ],
    ids=["foreign-key", "sector", "role"],
)
def test_constraints_refuse_bad_rows_and_nothing_is_half_written(
    database: Database, bad: Member
) -> None:
    with database.session() as session:
        session.add(Trial(name="Gore District", name_key="gore district"))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(Member(trial_id=1, slack_user_id="U0", sector="council"))
        session.flush()
        session.add(bad)
    with database.session(write=False) as session:
        assert session.exec(select(func.count()).select_from(Member)).one() == 0


def test_folded_names_are_unique(database: Database) -> None:
    with database.session() as session:
        session.add(Trial(name="Rānui", name_key="ranui"))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(Trial(name="Ranui", name_key="ranui"))


def test_the_migrations_build_exactly_the_tables_the_models_declare(database: Database) -> None:
    """Alembic's own comparison of the migrated schema with the models finds nothing."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": False, "render_as_batch": True}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_plain_rows_see_what_the_session_has_not_yet_written(database: Database) -> None:
    """`rows` runs past the ORM, so it flushes first, as the ORM's own queries do."""
    with database.session() as session:
        gore = data.trial(session, "Gore District", channel="CGORE")
        lisa = data.member(session, gore, "ULISA", role="lead")
        session.add(
            Task(
                trial_id=pk(gore),
                owner_member_id=pk(lisa),
                title="Breakfast club",
                created_by="ULISA",
            )
        )
        assert rows(session, select(func.count()).select_from(Task)).scalar_one() == 1
        found = tasks.trial_task_rows(session=session, trial_id=pk(gore))
        assert [(row.title, row.owner_user_id) for row in found] == [("Breakfast club", "ULISA")]


def _drop_connections_of(database: Database) -> int:
    """End every server connection to `database`'s database from outside it, as a server
    restart or a network gone away would; how many there were."""
    admin = make_engine(database.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    admin.dispose()
    return int(ended)


def test_a_postgresql_connection_dropped_while_idle_is_replaced_before_it_is_used(
    postgres_database: Database,
) -> None:
    with postgres_database.session(write=False) as session:
        session.exec(select(func.count()).select_from(Trial)).one()
    assert _drop_connections_of(postgres_database) >= 1
    time.sleep(PING_WHEN_IDLE_SECONDS + 0.2)
    with postgres_database.session() as session:
        session.add(Trial(name="Ōtaki", name_key="otaki"))
    with postgres_database.session(write=False) as session:
        assert session.exec(select(Trial.name)).all() == ["Ōtaki"]


def test_a_postgresql_connection_dropped_just_after_use_fails_one_transaction_then_is_replaced(
    postgres_database: Database,
) -> None:
    """A connection used within the last second is not pinged: one the server dropped in
    that second fails its next transaction (nothing is written), and the pool is renewed."""
    with postgres_database.session(write=False) as session:
        session.exec(select(func.count()).select_from(Trial)).one()
    _drop_connections_of(postgres_database)
    with pytest.raises(OperationalError), postgres_database.session() as session:
        session.add(Trial(name="Ōtaki", name_key="otaki"))
    with postgres_database.session() as session:
        session.add(Trial(name="Kaikōura", name_key="kaikoura"))
    with postgres_database.session(write=False) as session:
        assert session.exec(select(Trial.name)).all() == ["Kaikōura"]


def test_a_lookup_is_one_statement_outside_any_transaction(postgres_database: Database) -> None:
    """No BEGIN before it and no COMMIT after: the server is idle, not in a transaction,
    once the statement has answered; the connection goes back to the pool as it came."""
    with postgres_database.session() as session:
        data.trial(session, "Whirinaki", channel="CWHIRINAKI")
    with postgres_database.lookup() as session:
        assert session.exec(select(Trial.name)).all() == ["Whirinaki"]
        driver = session.connection().connection.dbapi_connection
        assert driver is not None
        assert driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with postgres_database.session(write=False) as session:
        session.exec(select(Trial.name)).all()
        driver = session.connection().connection.dbapi_connection
        assert driver is not None
        assert driver.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS


def test_work_declared_as_reading_cannot_write(database: Database) -> None:
    """What the registry and the buttons declare as changing nothing runs inside `reading`:
    a write there is a bug, found by whichever conversation test reaches it."""
    with database.reading("/task list"):
        with database.session(write=False) as session:
            session.exec(select(Trial)).all()
        refused = pytest.raises(UndeclaredWrite, match="/task list is declared as changing")
        with refused, database.session() as session:
            data.trial(session, "Rānui", channel="CRANUI")
    with database.session(write=False) as session:
        assert session.exec(select(Trial)).all() == []


def test_a_rehearsal_runs_a_change_up_to_its_first_write_and_commits_nothing(
    database: Database,
) -> None:
    with database.session() as session:
        data.trial(session, "Gore District", channel="CGORE")
    checked = []
    with pytest.raises(Rehearsed), database.rehearsal(), database.session() as session:
        checked.append(session.exec(select(Trial.name)).one())  # the checks read...
        data.trial(session, "Rānui", channel="CRANUI")  # ...and the first write stops it
        checked.append("never")
    assert checked == ["Gore District"]
    with database.rehearsal(), database.session() as session:  # one that only reads ends
        session.exec(select(Trial)).all()
    with database.session(write=False) as session:
        assert session.exec(select(Trial.name)).all() == ["Gore District"]

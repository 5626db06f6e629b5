"""`advisory-bot db backup <file>` while the bot writes: the backup, restored, holds every
row committed before it began and nothing half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from models.db import Database, make_engine
from models.tables import AuditLog
from tests.harness.processes import SCRIPT, clean_env


def _write_until(database: Database, stop: threading.Event, committed: list[int]) -> None:
    """One audit row per transaction, as fast as it goes; ids noted once committed."""
    while not stop.is_set():
        with database.session() as session:
            row = AuditLog(actor_user_id="UWRITER", action="test.write", entity="test")
            session.add(row)
            session.flush()
            row_id = row.id
        committed.append(row_id or 0)


def _restored(database: Database, backup: Path, tmp_path: Path) -> Database:
    """The backup brought back as a database of its own, as the README's steps say."""
    if database.url.get_backend_name() == "sqlite":
        restored = tmp_path / "restored.db"
        shutil.copy(backup, restored)
        return Database(f"sqlite:///{restored}")
    name = f"advisory_restore_{os.getpid()}"
    admin = make_engine(
        database.url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(database.url.render_as_string(hide_password=False)).set(database=name)
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        ["pg_restore", "--no-owner", "--dbname", plain, str(backup)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return Database(url.render_as_string(hide_password=False))


def test_a_backup_taken_during_writes_restores_every_committed_row(
    database: Database, tmp_path: Path
) -> None:
    stop, committed = threading.Event(), []
    writer = threading.Thread(target=_write_until, args=(database, stop, committed))
    writer.start()
    try:
        while len(committed) < 50:
            stop.wait(0.01)
        before = list(committed)
        backup = tmp_path / "advisory-backup"
        env = clean_env(DATABASE_URL=database.url.render_as_string(hide_password=False))
        done = subprocess.run(
            [SCRIPT, "db", "backup", str(backup)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        again = subprocess.run(
            [SCRIPT, "db", "backup", str(backup)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        stop.set()
        writer.join()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Backed up") and "secret" not in done.stdout
    assert again.returncode == 1 and "exists already" in again.stderr  # never overwritten

    restored = _restored(database, backup, tmp_path)
    try:
        with restored.session(write=False) as session:
            ids = list(session.exec(select(AuditLog.id).order_by(col(AuditLog.id))).all())
    finally:
        restored.dispose()
        if restored.url.get_backend_name() != "sqlite":
            admin = make_engine(
                database.url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
            )
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{restored.url.database}" WITH (FORCE)'))
            admin.dispose()
    assert set(before) <= set(ids)  # every row committed before the backup began
    assert ids == committed[: len(ids)]  # and a consistent moment: no gap, no torn write
    assert len(committed) > len(before)  # the bot kept writing while it was taken

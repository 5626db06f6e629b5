"""Backups of the bot's database while it runs: SQLite through its online backup API (a
consistent copy however busy the bot is), PostgreSQL through `pg_dump` when installed."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from models.db import Database
from models.errors import UserError


def backup(database: Database, target: Path) -> str:
    """Copy the database to `target` (which must not exist yet); say what was done."""
    if target.exists():
        raise UserError(f"{target} exists already; give a new file name.")
    url = database.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise UserError("This database lives in memory; there is nothing to back up.")
        source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # one step: a snapshot as of a single transaction
        finally:
            copy.close()
            source.close()
        return f"Backed up {url.database} to {target} ({target.stat().st_size // 1024} KB)."
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    shown = url.set(drivername="postgresql").render_as_string(hide_password=True)
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise UserError(
            "pg_dump is not installed here. Install PostgreSQL's client tools (Debian: "
            f"postgresql-client) or run on a machine that has them: pg_dump --format=custom "
            f"--file {target} '{shown}'"
        )
    done = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", "--file", str(target), plain],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        reason = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
        raise UserError(f"pg_dump failed: {reason}")
    size = target.stat().st_size // 1024
    return f"Backed up {shown} to {target} ({size} KB, in pg_dump's custom format)."

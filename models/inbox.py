"""The inbox: slash commands that change the group's records, kept from before their ack
until they have been made and answered.

The ack waits for one statement (the command written here), not for the change. A change
made before its ack waited its turn for SQLite's one writer, and each of its statements
waited its turn for the interpreter behind the replies being built, so under a crowd Slack
waited hundreds of milliseconds for the ack of every change. The change is made after the
ack (`handlers.listeners`), in a transaction that also writes its receipt
(`Database.receipt`), and then the command leaves the inbox. One that a stopped bot left
behind (a crash, a SIGKILL, a database that was down) is made when a bot sharing the
database comes to it; the receipt makes sure it is made once, whoever gets there first.

On PostgreSQL the inbox is a table of the database, reached through connections of its
own whose waits are bounded well inside Slack's 3 s. On SQLite it is a file of its own
beside the database (`advisory.db` → `advisory.db-inbox`): the database's one writer
would otherwise make the ack wait behind the very changes it keeps. Either way a command
is written in one statement that commits on its own, as durable as the database's own
commits.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, event, insert, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

from models.db import Database, make_engine
from models.tables import ReceivedCommand

SIDE_FILE_SUFFIX = "-inbox"
# An ack waits at most this long for the inbox (a lock, a statement), well inside the 3 s
# Slack gives it; then the person is asked to try again.
WAIT_MS = 2000

_TABLE = ReceivedCommand.__table__  # type: ignore[attr-defined]
_KEEP = insert(_TABLE)
_DONE = delete(_TABLE).where(_TABLE.c.id == bindparam("command_id"))
_LEFT = (
    select(_TABLE.c.id, _TABLE.c.body)
    .where(_TABLE.c.received_at < bindparam("before"))
    .order_by(_TABLE.c.received_at)
    .limit(bindparam("limit"))
)


@dataclass(frozen=True)
class Kept:
    """A command in the inbox: its id (its receipt's key) and Slack's form fields."""

    id: str
    body: dict[str, Any]

    @property
    def receipt(self) -> str:
        return f"command:{self.id}"


class Inbox:
    """Where changes wait between their ack and their making."""

    def __init__(self, database: Database) -> None:
        if database.url.get_backend_name() == "sqlite":
            self.engine = _side_file(database.url)
            SQLModel.metadata.create_all(self.engine, tables=[_TABLE])
        else:  # the database's table, through connections whose waits are bounded
            options = f"-c statement_timeout={WAIT_MS} -c lock_timeout={WAIT_MS}"
            self.engine = make_engine(database.url, connect_args={"options": options})
        database.dispose_with_it(self.dispose)
        # Each statement commits on its own: one round trip, and on SQLite a write lock
        # held only inside that one call into the driver.
        self._alone = self.engine.execution_options(isolation_level="AUTOCOMMIT")

    def keep(self, body: Mapping[str, Any], *, now: datetime) -> Kept:
        """Write a command down before its ack; it stays until `done`."""
        kept = Kept(uuid.uuid4().hex, dict(body))
        with self._alone.connect() as connection:
            connection.execute(
                _KEEP,
                {"id": kept.id, "received_at": now, "body": json.dumps(kept.body)},
            )
        return kept

    def done(self, kept: Kept) -> None:
        """The command was made (or refused) and answered: it leaves the inbox."""
        with self._alone.connect() as connection:
            connection.execute(_DONE, {"command_id": kept.id})

    def left_behind(self, *, before: datetime, limit: int = 100) -> list[Kept]:
        """Commands received before `before` and still here, oldest first."""
        with self._alone.connect() as connection:
            found = connection.execute(_LEFT, {"before": before, "limit": limit}).all()
        return [Kept(row.id, dict(json.loads(row.body))) for row in found]

    def dispose(self) -> None:
        self.engine.dispose()


def _side_file(url: URL) -> Engine:
    """The inbox of a SQLite database: a file beside it (in memory beside one in memory)."""
    path = url.database
    if path in (None, "", ":memory:"):
        engine = create_engine(
            "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
        )
    else:
        engine = create_engine(
            url.set(database=f"{path}{SIDE_FILE_SUFFIX}"),
            connect_args={"check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

    return engine

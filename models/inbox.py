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
is written in one statement that commits on its own, and survives a power loss once the
ack has gone (SQLite's `synchronous=FULL` for the side file).

Each change is leased to the instance that acknowledged it, for `LEASE` seconds, and
renewed when that instance starts making it. Once a lease has run out (its instance
stopped, or fell that far behind), any instance takes the change: every few seconds each
claims what is free (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so two instances never
claim the same), so after a crash of every instance, or of one among several, what was
acknowledged is made within seconds.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

from models.db import Database, make_engine
from models.tables import DuePass, ReceivedCommand, SeenSignature

SIDE_FILE_SUFFIX = "-inbox"
# An ack waits at most this long for each of its statements here (the signature seen, the
# change kept), both well inside the 3 s Slack gives it; then the person is asked to try
# again.
WAIT_MS = 1000
# How long a change stays with the instance that holds it before any instance may take it.
LEASE = timedelta(seconds=5)

# Slack's window for a request's timestamp: a signature older than this is refused as
# stale anyway, so the seen ones are kept this long.
SIGNATURES_KEPT = timedelta(minutes=5)

_TABLE = ReceivedCommand.__table__  # type: ignore[attr-defined]
_SEEN = SeenSignature.__table__  # type: ignore[attr-defined]
_SEE = insert(_SEEN)
_FORGET_SEEN = delete(_SEEN).where(_SEEN.c.seen_at < bindparam("before"))
_KEEP = insert(_TABLE)
_DONE = delete(_TABLE).where(_TABLE.c.id == bindparam("command_id"))
_RENEW = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("command_id"), _TABLE.c.holder == bindparam("me"))
    .values(leased_until=bindparam("until"))
)
_FREE = (
    select(_TABLE.c.id)
    .where(_TABLE.c.leased_until < bindparam("now"))
    .order_by(_TABLE.c.received_at)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)  # PostgreSQL: rows another instance is claiming
)
_CLAIM = (
    update(_TABLE)
    # The lease again: on PostgreSQL a row another instance claimed meanwhile is checked
    # anew once its lock is free, so it is not claimed twice.
    .where(_TABLE.c.id.in_(_FREE.scalar_subquery()), _TABLE.c.leased_until < bindparam("now"))
    .values(holder=bindparam("me"), leased_until=bindparam("until"))
    .returning(_TABLE.c.id, _TABLE.c.body, _TABLE.c.received_at)
)


@dataclass(frozen=True)
class Kept:
    """A command in the inbox: its id (its receipt's key), Slack's form fields, and when it
    reached the bot."""

    id: str
    body: dict[str, Any]
    received_at: datetime

    @property
    def receipt(self) -> str:
        return f"command:{self.id}"


class Inbox:
    """Where changes wait between their ack and their making."""

    def __init__(self, database: Database) -> None:
        if database.url.get_backend_name() == "sqlite":
            self.engine = _side_file(database.url)
            passes = DuePass.__table__  # type: ignore[attr-defined]
            SQLModel.metadata.create_all(self.engine, tables=[_TABLE, _SEEN, passes])
            _add_leases(self.engine)
        else:  # the database's table, through connections whose waits are bounded
            options = f"-c statement_timeout={WAIT_MS} -c lock_timeout={WAIT_MS}"
            self.engine = make_engine(database.url, connect_args={"options": options})
        database.dispose_with_it(self.dispose)
        # Each statement commits on its own: one round trip, and on SQLite a write lock
        # held only inside that one call into the driver.
        self._alone = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        # Who holds what: this instance, unlike any other now or later.
        self.me = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._forgot_seen_at: datetime | None = None

    def first_time(self, signature: str, *, now: datetime) -> bool:
        """Whether a request's signature is new (and now seen): False for a replay of one
        seen in the last five minutes, by this instance or any other, before a restart
        too. Those older are forgotten, once a minute."""
        try:
            with self._alone.connect() as connection:
                if self._forgot_seen_at is None or now - self._forgot_seen_at > timedelta(
                    minutes=1
                ):
                    self._forgot_seen_at = now
                    connection.execute(_FORGET_SEEN, {"before": now - SIGNATURES_KEPT})
                connection.execute(_SEE, {"signature": signature, "seen_at": now})
        except IntegrityError:
            return False
        return True

    def keep(self, body: Mapping[str, Any], *, now: datetime) -> Kept:
        """Write a command down before its ack, held by this instance; it stays until
        `done`."""
        kept = Kept(uuid.uuid4().hex, dict(body), now)
        with self._alone.connect() as connection:
            connection.execute(
                _KEEP,
                {
                    "id": kept.id,
                    "received_at": now,
                    "body": json.dumps(kept.body),
                    "holder": self.me,
                    "leased_until": now + LEASE,
                },
            )
        return kept

    def renew(self, kept: Kept, *, now: datetime) -> bool:
        """Hold `kept` for another lease, to make it now: False if another instance has
        taken it (it makes and answers it)."""
        with self._alone.connect() as connection:
            found = connection.execute(
                _RENEW, {"command_id": kept.id, "me": self.me, "until": now + LEASE}
            )
        return bool(found.rowcount)

    def done(self, kept: Kept) -> None:
        """The command was made (or refused) and answered: it leaves the inbox."""
        with self._alone.connect() as connection:
            connection.execute(_DONE, {"command_id": kept.id})

    def claim(self, *, now: datetime, limit: int = 50) -> list[Kept]:
        """Take the changes whose lease has run out (left by an instance that stopped, or
        fell behind), oldest first, for this instance to make."""
        with self._alone.connect() as connection:
            found = connection.execute(
                _CLAIM, {"now": now, "limit": limit, "me": self.me, "until": now + LEASE}
            ).all()
        return sorted(
            (Kept(row.id, dict(json.loads(row.body)), row.received_at) for row in found),
            key=lambda kept: kept.received_at,
        )

    def waiting(self) -> int:
        """How many changes are in the inbox, held or free."""
        with self._alone.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(_TABLE)).scalar_one())

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
            # What was acknowledged must outlive a power loss: in WAL mode NORMAL may lose
            # the last commits (SQLite's documentation of `synchronous`); FULL syncs the
            # log at each commit.
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.close()

    return engine


def _add_leases(engine: Engine) -> None:
    """A side file made before the inbox had leases gets their columns (its changes, free
    to take)."""
    columns = {column["name"] for column in inspect(engine).get_columns(_TABLE.name)}
    if "leased_until" in columns:
        return
    with engine.begin() as connection:
        connection.execute(
            text(f"ALTER TABLE {_TABLE.name} ADD COLUMN holder VARCHAR(64) NOT NULL DEFAULT ''")
        )
        connection.execute(
            text(
                f"ALTER TABLE {_TABLE.name} ADD COLUMN leased_until DATETIME NOT NULL "
                "DEFAULT '1970-01-01 00:00:00'"
            )
        )

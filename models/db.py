"""The engine and the one place that makes sessions.

SQLite gets foreign keys, WAL, a busy timeout, and write transactions that take the
write lock up front (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout
instead of failing with "database is locked" when a read lock cannot be upgraded.
PostgreSQL goes through psycopg 3 from the same code.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, insert, inspect, text
from sqlalchemy.engine import URL, Connection, CursorResult, Engine, make_url
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.sql import Executable
from sqlmodel import Session, create_engine

from models.errors import UserError
from models.tables import SlackEventReceipt
from models.types import utcnow

SQLITE_BUSY_TIMEOUT_SECONDS = 30
CONNECT_TIMEOUT_SECONDS = 2
STATEMENT_TIMEOUT_SECONDS = 20
TCP_USER_TIMEOUT_SECONDS = 5
PING_SECONDS = 2.0
# A pooled connection idle this long is pinged before it is used again (one used a moment
# ago is as good as pinged).
PING_WHEN_IDLE_SECONDS = 1.0
_WRITE = "advisory_write"
# How long a transaction begun here may wait for a lock (None: the engine's default).
# Work done before Slack's 3-second ack sets it well inside that (`Database.bounded`).
_LOCK_WAIT: ContextVar[float | None] = ContextVar("lock_wait", default=None)


@dataclass
class _Receipt:
    key: str
    taken: bool = False  # a write transaction carrying it has committed


# Inside `Database.rehearsal`: sessions read, and a change stops at its first write.
_REHEARSING: ContextVar[bool] = ContextVar("rehearsing", default=False)


# Inside `Database.reading`: work declared as changing nothing, which may not write.
_READING: ContextVar[str | None] = ContextVar("reading", default=None)


class UndeclaredWrite(Exception):
    """Work declared as reading began a write transaction. A change must be declared as one
    (a subcommand's `changes`, a button's `changes`), so that it is kept in the inbox
    before its ack and made once after it."""


class Rehearsed(Exception):
    """A rehearsal reached its change's first write: every check before it passed, and
    nothing was written."""


# The receipt the next write transaction begun here carries (`Database.receipt`).
_RECEIPT: ContextVar[_Receipt | None] = ContextVar("receipt", default=None)
_TAKE_RECEIPT = insert(SlackEventReceipt.__table__)  # type: ignore[attr-defined]


def normalise_url(url: str | URL) -> URL:
    """Use psycopg 3 for a bare `postgresql://` URL (SQLAlchemy would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        wait = _LOCK_WAIT.get()
        busy_ms = int((SQLITE_BUSY_TIMEOUT_SECONDS if wait is None else wait) * 1000)
        if connection.info.get("busy_ms") != busy_ms:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {busy_ms}")
            connection.info["busy_ms"] = busy_ms
        if connection.get_execution_options().get(_WRITE, False):
            # Through SQLAlchemy, which turns "database is locked" into its own error.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            # A reader's BEGIN takes no lock and cannot fail busy, so it goes straight to
            # the driver: every session begins here, and SQLAlchemy's path for a statement
            # costs some 30 µs, many times the statement's own.
            driver = connection.connection.dbapi_connection
            assert driver is not None
            driver.execute("BEGIN")


def _configure_postgres(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        wait = _LOCK_WAIT.get()
        # Only a writer waits for row locks (a reader waits only behind a migration), and a
        # rehearsal, whose reads lock the rows the change would lock.
        writer = connection.get_execution_options().get(_WRITE, False)
        if wait is not None and (writer or _REHEARSING.get()):
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait * 1000)}ms'")

    _ping_when_idle(engine)


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's `pool_pre_ping`, for a connection that has been idle a while: a server
    restarted, or a connection dropped by the network, is found out and replaced before a
    statement meets it. Pinging at every checkout costs a round trip a transaction (two of
    the eleven that listing a trial's tasks took); HikariCP skips its check for a
    connection used within the last half second, for the same reason."""

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_WHEN_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool replaces the connection and checks another out (three tries).
            raise DisconnectionError("the connection did not answer its ping") from error


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for any SQLAlchemy URL, configured for safe concurrent use."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        engine = create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            **kwargs,
        )
        _configure_sqlite(engine, in_memory=in_memory)
        return engine
    # A server that does not answer is given up on in seconds, not the OS's minutes; a
    # statement the server is still running is stopped after STATEMENT_TIMEOUT_SECONDS.
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    # A server that stops acknowledging what is sent (a network gone quiet) is given up on.
    connect_args.setdefault("tcp_user_timeout", TCP_USER_TIMEOUT_SECONDS * 1000)
    connect_args.setdefault("keepalives", 1)
    connect_args.setdefault("keepalives_idle", 30)
    connect_args.setdefault("options", f"-c statement_timeout={STATEMENT_TIMEOUT_SECONDS * 1000}")
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(parsed, **kwargs)
    _configure_postgres(engine)
    return engine


class TooLong(UserError):
    """A value longer than its column allows: refused the same on SQLite (which would keep
    it) and PostgreSQL (which would fail), before anything is written."""


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, _context: Any, _instances: Any) -> None:
    for instance in (*session.new, *session.dirty):
        mapper = inspect(instance).mapper
        for column in mapper.columns:
            limit = getattr(column.type, "length", None)
            value = getattr(instance, column.key, None)
            if limit and isinstance(value, str) and len(value) > limit:
                what = column.key.replace("_", " ")
                raise TooLong(
                    f"That {what} is {len(value):,} characters long; it can be {limit:,} at most."
                )


class AlreadyMade(Exception):
    """The change under this receipt was made already (by another bot process, or before
    a restart); nothing was changed now."""


class DatabaseBusy(Exception):
    """The write lock was not free in time; nothing was changed."""


def is_busy(error: BaseException) -> bool:
    """Whether a database error is a lock that was not free in time (worth trying again)."""
    if isinstance(error, DatabaseBusy):
        return True
    if not isinstance(error, OperationalError):
        return False
    code = getattr(error.orig, "sqlstate", None)
    return "database is locked" in str(error.orig) or code in ("55P03", "40P01")


def rows(
    session: Session, statement: Executable, params: Mapping[str, Any] | None = None
) -> CursorResult[*tuple[Any, ...]]:
    """Run a statement of columns (not of tables' objects) in the session's transaction as
    plain SQL: the ORM gives such rows nothing, and running them through it costs two to
    three times as much (a task's row 57 µs, 21 µs this way). Pending changes are flushed
    first, as the ORM would."""
    session.flush()
    return session.connection().execute(statement, params)


def _take(session: Session, key: str) -> None:
    try:
        session.connection().execute(_TAKE_RECEIPT, {"event_id": key, "received_at": utcnow()})
    except IntegrityError as error:
        raise AlreadyMade(key) from error


def _stop_at_a_write(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise Rehearsed


def _stop_at_a_statement_that_writes(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise Rehearsed


class Database:
    """A database the bot works in: its engine and its sessions."""

    def __init__(self, url: str | URL, **engine_kwargs: Any) -> None:
        self.engine = make_engine(url, **engine_kwargs)
        self._write_engine = self.engine.execution_options(**{_WRITE: True})
        # SQLite takes one writer at a time, and a writer it turns away sleeps in steps of
        # up to 100 ms before asking again, so under load newcomers overtake it for
        # seconds. This process's writers queue here instead, each woken as the last one
        # commits; writers in other processes still meet SQLite's busy timeout.
        sqlite = self.engine.dialect.name == "sqlite"
        self._writer = threading.RLock() if sqlite else None
        self._outside_transactions = (
            None if sqlite else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._pinging = threading.Lock()
        self._companions: list[Callable[[], None]] = []

    @property
    def url(self) -> URL:
        return self.engine.url

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        if _REHEARSING.get():
            with self._rehearsing() as session:
                yield session
            return
        if write and (reading := _READING.get()) is not None:
            raise UndeclaredWrite(f"{reading} is declared as changing nothing, and wrote")
        writer = self._writer if write else None
        if writer is not None:
            wait = _LOCK_WAIT.get()
            if not writer.acquire(timeout=SQLITE_BUSY_TIMEOUT_SECONDS if wait is None else wait):
                raise DatabaseBusy("another change held the database for too long")
        receipt = _RECEIPT.get() if write else None
        if receipt is not None and receipt.taken:
            receipt = None
        session = Session(self._write_engine if write else self.engine, expire_on_commit=False)
        try:
            if receipt is not None:
                _take(session, receipt.key)
            yield session
            session.commit()
            if receipt is not None:
                receipt.taken = True
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
            if writer is not None:
                writer.release()

    @contextmanager
    def reading(self, what: str) -> Iterator[None]:
        """Work inside is declared as changing nothing: a write session begun there raises
        UndeclaredWrite (a bug: what changes records must be kept before its ack)."""
        token = _READING.set(what)
        try:
            yield
        finally:
            _READING.reset(token)

    @contextmanager
    def rehearsal(self) -> Iterator[None]:
        """Work inside runs up to its first write and no further: every session reads (no
        write lock, no receipt), the first write raises Rehearsed, and nothing is ever
        committed. So a change's checks (what was typed, who may, whether the records
        allow it) can answer before Slack's ack without writing anything."""
        token = _REHEARSING.set(True)
        try:
            yield
        finally:
            _REHEARSING.reset(token)

    @contextmanager
    def _rehearsing(self) -> Iterator[Session]:
        session = Session(self.engine, expire_on_commit=False)
        event.listen(session, "before_flush", _stop_at_a_write)
        event.listen(session, "do_orm_execute", _stop_at_a_statement_that_writes)
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def lookup(self) -> Iterator[Session]:
        """A session for one read statement, outside any transaction: a statement is its
        own snapshot, and on PostgreSQL that spares the BEGIN and the COMMIT, two of the
        three round trips a lookup in a transaction costs. (On SQLite, where neither leaves
        the process, a read session.)"""
        if self._outside_transactions is None:
            with self.session(write=False) as session:
                yield session
            return
        session = Session(self._outside_transactions, expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def receipt(self, key: str) -> Iterator[None]:
        """The first write transaction that commits inside also writes a receipt under
        `key`, so the change it makes is made once: where the receipt is already written,
        the transaction raises AlreadyMade and changes nothing. (A refusal rolls back, its
        receipt with it, and the next write transaction inside carries the receipt.)"""
        token = _RECEIPT.set(_Receipt(key))
        try:
            yield
        finally:
            _RECEIPT.reset(token)

    @contextmanager
    def bounded(self, seconds: float) -> Iterator[None]:
        """Transactions begun inside wait at most `seconds` for a lock, then fail busy."""
        token = _LOCK_WAIT.set(seconds)
        try:
            yield
        finally:
            _LOCK_WAIT.reset(token)

    def ping(self, timeout: float = PING_SECONDS) -> bool:
        """Whether the database answers a trivial query within `timeout` seconds. One ping
        at a time: while one is stuck on a frozen database, the others answer False at once
        instead of piling up behind it."""
        if not self._pinging.acquire(blocking=False):
            return False
        answered = threading.Event()
        result: list[bool] = []

        def ask() -> None:
            try:
                with self.bounded(timeout), self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                result.append(True)
            except (SQLAlchemyError, OSError):
                result.append(False)
            finally:
                answered.set()
                self._pinging.release()

        threading.Thread(target=ask, name="db-ping", daemon=True).start()
        return answered.wait(timeout) and result == [True]

    def dispose_with_it(self, dispose: Callable[[], None]) -> None:
        """`dispose()` when this database is disposed (an engine made beside it)."""
        self._companions.append(dispose)

    def dispose(self) -> None:
        for companion in self._companions:
            companion()
        self.engine.dispose()

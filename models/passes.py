"""Passes due: work that many changes ask for and one run answers (a channel's canvas
rewritten), coalesced across every instance sharing the database.

The first change asks for a pass a window from now; changes meanwhile join it (the pass
reads the records when it runs, so it shows them all). Each instance looks every second
for passes that are due and claims them (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so one
instance makes each); a change that arrives while its pass is running asks for one more,
a window later. A pass whose instance stopped is free again once its lease runs out.
Kept beside the inbox (`models.inbox`): on SQLite in its side file, so asking for a pass
never waits for the database's one writer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from models.inbox import Inbox
from models.tables import DuePass

# How long a claimed pass stays with its instance (a canvas rewrite takes a second or two).
PASS_LEASE = timedelta(seconds=60)
FREE = datetime(1970, 1, 1, tzinfo=UTC)

_TABLE = DuePass.__table__  # type: ignore[attr-defined]
_DUE = (
    select(_TABLE.c.key)
    .where(_TABLE.c.due_at <= bindparam("now"), _TABLE.c.leased_until < bindparam("now"))
    .order_by(_TABLE.c.due_at)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_CLAIM = (
    update(_TABLE)
    # The lease again: on PostgreSQL a row another instance claimed meanwhile is checked
    # anew once its lock is free, so it is not claimed twice.
    .where(_TABLE.c.key.in_(_DUE.scalar_subquery()), _TABLE.c.leased_until < bindparam("now"))
    .values(holder=bindparam("me"), leased_until=bindparam("until"))
    .returning(_TABLE.c.key)
)
_DONE = delete(_TABLE).where(
    _TABLE.c.key == bindparam("pass_key"),
    _TABLE.c.holder == bindparam("me"),
    _TABLE.c.again.is_(False),
)
_AGAIN = (
    update(_TABLE)
    .where(_TABLE.c.key == bindparam("pass_key"), _TABLE.c.holder == bindparam("me"))
    .values(again=False, due_at=bindparam("next"), leased_until=FREE, holder="")
)


class Passes:
    """Passes due, shared by every instance on the database (through the inbox's engine)."""

    def __init__(self, inbox: Inbox) -> None:
        self._alone = inbox.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.me = inbox.me
        dialect = inbox.engine.dialect.name
        upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        asked = upsert(_TABLE).values(
            key=bindparam("pass_key"),
            due_at=bindparam("due"),
            holder="",
            leased_until=FREE,
            again=False,
        )
        # A pass waiting to run shows this change too; one running now may have read the
        # records before it, so it is asked to run once more.
        self._ask = asked.on_conflict_do_update(
            index_elements=[_TABLE.c.key],
            set_={"again": True},
            where=_TABLE.c.leased_until > bindparam("now"),
        )

    def ask(self, key: str, *, now: datetime, window: timedelta) -> None:
        """A change that the pass under `key` shows: it runs within `window`."""
        with self._alone.connect() as connection:
            connection.execute(self._ask, {"pass_key": key, "due": now + window, "now": now})

    def claim(self, *, now: datetime, limit: int = 20) -> list[str]:
        """The passes due now, claimed for this instance to run."""
        with self._alone.connect() as connection:
            found = connection.execute(
                _CLAIM, {"now": now, "limit": limit, "me": self.me, "until": now + PASS_LEASE}
            ).all()
        return [row.key for row in found]

    def ran(self, key: str, *, now: datetime, window: timedelta) -> None:
        """The pass ran: it is done, or, if a change came while it ran, due again a window
        from now."""
        with self._alone.connect() as connection:
            if not connection.execute(_DONE, {"pass_key": key, "me": self.me}).rowcount:
                connection.execute(_AGAIN, {"pass_key": key, "me": self.me, "next": now + window})

    def waiting(self) -> list[str]:
        with self._alone.connect() as connection:
            return [row.key for row in connection.execute(select(_TABLE.c.key)).all()]

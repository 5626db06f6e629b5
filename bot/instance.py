"""One instance of the bot: the database, the app, its pools, and (where asked) the
reminder scheduler, started together and stopped together.

An instance is one ordinary process. For more cores or machines, more identical instances
run on one PostgreSQL database (several `advisory-bot run` on one machine share PORT;
several hosts go behind a load balancer); what must hold across them lives in the
database.
"""

from __future__ import annotations

import fcntl
from dataclasses import dataclass
from typing import IO

from slack_bolt import App
from sqlalchemy.engine import make_url

from bot.app import create_app
from bot.config import ConfigError, Settings
from handlers.background import Background
from handlers.making import LEFT_BEHIND_ROUNDS
from models.db import Database
from scheduler.runner import Reminders
from scheduler.runner import start as start_scheduler


@dataclass
class Instance:
    database: Database
    background: Background
    app: App
    reminders: Reminders | None
    alone: IO[bytes] | None  # SQLite: the lock that keeps this instance the only one

    @classmethod
    def start(cls, settings: Settings, *, reminders: bool) -> Instance:
        """Build the app on its own database connections, and start the rounds that make
        what a stopped instance left in the inbox."""
        alone = _only_instance(settings.database_url)
        database = Database(settings.database_url)
        background = Background()
        app = create_app(
            settings, database=database, background=background, left_behind_every=LEFT_BEHIND_ROUNDS
        )
        scheduler = None
        if reminders:
            scheduler = start_scheduler(database=database, client=app.client, settings=settings)
        return cls(database, background, app, scheduler, alone)

    def stop(self) -> None:
        """Send the replies already owed, stop the reminders, close the database."""
        self.background.shutdown()
        if self.reminders is not None:
            self.reminders.stop()
        self.database.dispose()
        if self.alone is not None:
            self.alone.close()


def _only_instance(database_url: str) -> IO[bytes] | None:
    """On SQLite, hold a lock beside the database file that a second instance cannot take:
    SQLite serves one instance (its writers queue within one process; across several they
    would meet its busy timeout, and the inbox's leases assume one machine's clock)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    held = open(f"{url.database}-instance", "ab")  # noqa: SIM115 (held until stop)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        held.close()
        raise ConfigError(
            f"Another advisory-bot run is serving {url.database}: SQLite serves one instance. "
            "For more, use PostgreSQL (DATABASE_URL)."
        ) from None
    return held

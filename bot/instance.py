"""One instance of the bot: the database, the app, its pools, and (where asked) the
reminder scheduler, started together and stopped together.

An instance is one ordinary process. For more cores or machines, more identical instances
run on one PostgreSQL database (`advisory-bot run --workers N`, or several hosts behind a
load balancer); what must hold across them lives in the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import App

from bot.app import create_app
from bot.config import Settings
from handlers.background import Background
from handlers.listeners import LEFT_BEHIND_ROUNDS
from models.db import Database
from scheduler.runner import Reminders
from scheduler.runner import start as start_scheduler


@dataclass
class Instance:
    database: Database
    background: Background
    app: App
    reminders: Reminders | None

    @classmethod
    def start(cls, settings: Settings, *, reminders: bool) -> Instance:
        """Build the app on its own database connections (after any fork), and start the
        rounds that make what a stopped instance left in the inbox."""
        database = Database(settings.database_url)
        background = Background()
        app = create_app(
            settings, database=database, background=background, left_behind_every=LEFT_BEHIND_ROUNDS
        )
        scheduler = None
        if reminders:
            scheduler = start_scheduler(database=database, client=app.client, settings=settings)
        return cls(database, background, app, scheduler)

    def stop(self) -> None:
        """Send the replies already owed, stop the reminders, close the database."""
        self.background.shutdown()
        if self.reminders is not None:
            self.reminders.stop()
        self.database.dispose()

"""What every listener is handed: the settings, the database, the clock, and the asker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk import WebClient

from bot.config import Settings
from bot.permissions import Action, Actor, require
from models.db import Database
from models.groups import Group


@dataclass(frozen=True)
class Services:
    """Shared by all listeners of one app."""

    settings: Settings
    database: Database
    clock: Callable[[], datetime]

    def now(self) -> datetime:
        """The current time in the programme's time zone."""
        return self.clock().astimezone(self.settings.tz)

    def today(self) -> date:
        return self.now().date()


@dataclass(frozen=True)
class Asker:
    """Who typed a command, and where."""

    user_id: str
    channel_id: str
    handle: str | None
    services: Services
    client: WebClient

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.services.settings.is_director(self.user_id))

    def require(self, action: Action, group: Group, *, owner_user_id: str | None = None) -> None:
        """Refuse, naming who may, unless this person may take the action here."""
        require(
            action,
            actor=self.actor,
            group=group,
            directors=self.services.settings.director_user_ids,
            owner_user_id=owner_user_id,
        )


def asker_from_command(command: dict[str, str], services: Services, client: WebClient) -> Asker:
    return Asker(
        user_id=command["user_id"],
        channel_id=command["channel_id"],
        handle=command.get("user_name"),
        services=services,
        client=client,
    )

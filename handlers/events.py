"""Events API listeners and the middleware that makes Slack's retried deliveries
(`X-Slack-Retry-Num`, or the same `event_id` again) take effect once."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import App, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from handlers.context import Asker, Services
from handlers.task_ops import refresh_home
from models.events import claim_event
from models.groups import load_group, mark_unreachable
from slack_api.reply import post
from ui.blocks.group import channel_gone_notice

log = logging.getLogger("advisory_bot.events")

RECEIPT_KEY_LENGTH = 64
CHANNEL_EVENTS = {
    "channel_archive": "archived",
    "group_archive": "archived",
    "channel_deleted": "deleted",
    "group_deleted": "deleted",
    "channel_left": "left",
    "group_left": "left",
}


def _publish_when_back(asker: Asker, user: str, tries: int) -> None:
    """Publish the Home the person opened; while the database is down, look again every
    few seconds (a timer, not a thread), for five minutes."""
    services = asker.services
    if services.database.ping():
        refresh_home(asker, {user}, opened=True)
    elif tries > 0:
        again = partial(_publish_when_back, asker, user, tries - 1)
        services.background.later(("home-when-back", user), HOME_RETRY_SECONDS, again)
    else:
        log.warning("The database stayed down: a Home opened five minutes ago was not published")


def receipt_key(event_id: object) -> str:
    """Slack's event IDs are short; anything longer is kept by its digest (64 characters)."""
    text = str(event_id)
    return text if len(text) <= RECEIPT_KEY_LENGTH else hashlib.sha256(text.encode()).hexdigest()


# Seconds between tries to publish a Home the person opened while the database was down,
# and how many tries (five minutes in all).
HOME_RETRY_SECONDS = 5.0
HOME_RETRIES = 60


def register(app: App, services: Services) -> None:
    @app.middleware
    def handle_each_event_once(
        body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                first = claim_event(database=services.database, event_id=receipt_key(event_id))
            except SQLAlchemyError:  # handled now, perhaps twice: better than never
                log.warning("Could not record event %s as received; the database is down", event_id)
                first = True
            if not first:
                return BoltResponse(status=200, body="")
        return next()

    @app.event("user_change")
    def person_changed(event: dict[str, Any]) -> None:
        """A person deactivated (or back): their reminders go to the lead meanwhile."""
        user = event.get("user") or {}
        if user.get("id"):
            reason = "account_inactive" if user.get("deleted") else None
            with services.database.session() as session:
                mark_unreachable(session=session, user_id=str(user["id"]), reason=reason)

    def channel_gone(event: dict[str, Any], what: str) -> None:
        """The group's channel was archived or deleted, or the bot removed from it: the
        lead (or, with none, the Director) is told once what that stops and what to do."""
        channel = event.get("channel")
        if isinstance(channel, dict):
            channel = channel.get("id")
        with services.database.session(write=False) as session:
            group = load_group(session=session, user_id="", channel_id=str(channel or ""))
        if group.trial is None:
            return
        notice = channel_gone_notice(group.trial.name, str(channel), what)
        people = [m.slack_user_id for m in group.leads] or sorted(
            services.settings.director_user_ids
        )
        for person in people:
            services.background.soon(partial(post, services.client, person, notice))

    def on_channel_gone(what: str) -> Callable[[dict[str, Any]], None]:
        def listener(event: dict[str, Any]) -> None:
            channel_gone(event, what)

        return listener

    for name, what in CHANNEL_EVENTS.items():
        app.event(name)(on_channel_gone(what))

    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any]) -> None:
        user = event.get("user")
        if event.get("tab", "home") != "home" or not isinstance(user, str) or not user:
            return
        asker = Asker(
            user_id=user, channel_id=None, handle=None, services=services, client=services.client
        )
        services.background.soon(partial(_publish_when_back, asker, user, HOME_RETRIES))

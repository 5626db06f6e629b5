"""Remembering which Events API deliveries were handled, so retries take effect once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from models.db import Database
from models.tables import SlackEventReceipt


def claim_event(*, database: Database, event_id: str) -> bool:
    """True the first time an event ID is seen (by any process sharing the database)."""
    try:
        with database.session() as session:
            session.add(SlackEventReceipt(event_id=event_id))
        return True
    except IntegrityError:
        return False

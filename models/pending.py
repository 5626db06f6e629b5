"""Changes that wait for the person's click: minutes that would replace others, a trial
that would move from its channel. Kept a day at most; taken once."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, delete, select

from models.errors import N_, UserError
from models.tables import PendingChange
from models.types import utcnow

KEPT_FOR = timedelta(days=1)


def propose(*, session: Session, user_id: str, kind: str, payload: dict[str, Any]) -> int:
    """Keep the change until `user_id` confirms it; its id for the buttons."""
    session.exec(delete(PendingChange).where(col(PendingChange.created_at) < utcnow() - KEPT_FOR))  # type: ignore[call-overload]
    pending = PendingChange(user_id=user_id, kind=kind, payload=json.dumps(payload, default=str))
    session.add(pending)
    session.flush()
    return pending.id or 0


def take(*, session: Session, pending_id: int, user_id: str, kind: str) -> dict[str, Any]:
    """The change, now confirmed (or cancelled): gone from the waiting list either way."""
    pending = session.exec(
        select(PendingChange).where(PendingChange.id == pending_id).with_for_update()
    ).first()
    if pending is None or pending.kind != kind:
        raise UserError(
            N_("That was already answered (or waited more than a day). Nothing changed.")
        )
    if pending.user_id != user_id:
        raise UserError(N_("Only the person who asked for this change can confirm it."))
    session.delete(pending)
    return dict(json.loads(pending.payload))

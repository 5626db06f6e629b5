"""The audit log: who changed what, when."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from models.tables import AuditLog


def record(
    *,
    session: Session,
    actor_user_id: str,
    action: str,
    entity: str,
    entity_id: int | None,
    trial_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry in the caller's transaction, so it commits with the change."""
    session.add(
        AuditLog(
            actor_user_id=actor_user_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            trial_id=trial_id,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )

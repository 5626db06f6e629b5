"""Nothing kept longer than needed: old event receipts and ledger rows go, recent ones and
the audit log stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from models.db import Database
from models.retention import prune
from models.tables import AuditLog, ReminderLedger, SlackEventReceipt

NOW = datetime(2026, 12, 2, 0, 15, tzinfo=UTC)


def test_old_receipts_and_ledger_rows_go_and_the_rest_stays(database: Database) -> None:
    with database.session() as session:
        for key, age in (("EvOld", 8), ("EvNew", 1)):
            session.add(SlackEventReceipt(event_id=key, received_at=NOW - timedelta(days=age)))
        for slot, age in (("2025-10-01", 400), ("2026-11-30", 2)):
            session.add(
                ReminderLedger(
                    kind="task", target="T-1", slot=slot, claimed_at=NOW - timedelta(days=age)
                )
            )
        session.add(
            AuditLog(actor_user_id="U1", action="old", entity="task", at=NOW - timedelta(days=900))
        )
    with database.session() as session:
        assert prune(session=session, now=NOW) == (1, 1)
    with database.session(write=False) as session:
        assert [r.event_id for r in session.exec(select(SlackEventReceipt))] == ["EvNew"]
        assert [r.slot for r in session.exec(select(ReminderLedger))] == ["2026-11-30"]
        assert session.exec(select(func.count()).select_from(AuditLog)).one() == 1

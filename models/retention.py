"""Keeping no more than is needed (Privacy Act 2020, IPP 9): Slack's retried-event receipts
go after a week, reminder ledger rows after about thirteen months; the audit log stays."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete

from models.tables import ReminderLedger, SlackEventReceipt

RECEIPT_DAYS = 7
LEDGER_DAYS = 395  # about thirteen months: a year of reminders, and the month before


def prune(*, session: Session, now: datetime, ledger_days: int = LEDGER_DAYS) -> tuple[int, int]:
    """Delete what is older than kept; how many (receipts, ledger rows) went."""
    receipts = session.exec(  # type: ignore[call-overload]
        delete(SlackEventReceipt).where(
            col(SlackEventReceipt.received_at) < now - timedelta(days=RECEIPT_DAYS)
        )
    )
    ledger = session.exec(  # type: ignore[call-overload]
        delete(ReminderLedger).where(
            col(ReminderLedger.claimed_at) < now - timedelta(days=ledger_days)
        )
    )
    return int(receipts.rowcount or 0), int(ledger.rowcount or 0)

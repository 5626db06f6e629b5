"""Every record of one trial, kind by kind, as plain columns and rows: what its handover
archive holds (`ui.archive` writes it as CSV and JSON). Nothing of another trial."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from models.tables import (
    AgendaItem,
    AuditLog,
    Deadline,
    Indicator,
    IndicatorValue,
    Meeting,
    MeetingAttendance,
    MeetingGuest,
    Member,
    Outcome,
    ProgrammeItem,
    ProgressUpdate,
    ReviewDecision,
    Task,
    Trial,
    pk,
)

# Kept out of the archive: the bot's own bookkeeping of the channel's canvas.
PRIVATE_COLUMNS = frozenset({"canvas_sections", "canvas_problem", "name_key"})


@dataclass(frozen=True)
class Sheet:
    """One kind of record: its columns (in the table's order) and rows of plain values."""

    name: str
    about: str
    columns: list[str]
    rows: list[dict[str, Any]]


def plain(value: Any) -> Any:
    """A value as JSON and CSV hold it: dates and times in ISO 8601 (times in UTC)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _sheet(
    session: Session,
    name: str,
    about: str,
    table: type[SQLModel],
    *where: ColumnElement[bool],
    join: Any = (),
) -> Sheet:
    columns = [c for c in table.model_fields if c not in PRIVATE_COLUMNS]
    query = select(table)
    for other, on in join:
        query = query.join(other, on)
    found = session.exec(query.where(*where)).all()
    rows = [{c: plain(getattr(row, c)) for c in columns} for row in found]
    keys = ["id"] if "id" in columns else columns[:2]  # the primary key
    rows.sort(key=lambda r: tuple(r[c] for c in keys))
    return Sheet(name, about, columns, rows)


def trial_records(*, session: Session, trial: Trial) -> list[Sheet]:
    """Every kind of record of the trial, in the order the archive lists them."""
    tid = pk(trial)
    by_meeting = ((Meeting, col(Meeting.id) == col(AgendaItem.meeting_id)),)
    return [
        _sheet(
            session,
            "trial",
            "The trial itself: its details and status.",
            Trial,
            col(Trial.id) == tid,
        ),
        _sheet(
            session,
            "members",
            "The advisory group, past members included.",
            Member,
            col(Member.trial_id) == tid,
        ),
        _sheet(
            session,
            "outcomes",
            "The Action Plan's outcomes.",
            Outcome,
            col(Outcome.trial_id) == tid,
        ),
        _sheet(
            session, "tasks", "The Action Plan's actions (T-n).", Task, col(Task.trial_id) == tid
        ),
        _sheet(
            session,
            "updates",
            "Progress updates on the tasks.",
            ProgressUpdate,
            col(Task.trial_id) == tid,
            join=((Task, col(Task.id) == col(ProgressUpdate.task_id)),),
        ),
        _sheet(
            session,
            "meetings",
            "Meetings (M-n), with their minutes.",
            Meeting,
            col(Meeting.trial_id) == tid,
        ),
        _sheet(
            session,
            "agenda_items",
            "Agenda items (A-n), with what was decided on each.",
            AgendaItem,
            col(Meeting.trial_id) == tid,
            join=by_meeting,
        ),
        _sheet(
            session,
            "attendance",
            "Who was present at each meeting, or sent apologies.",
            MeetingAttendance,
            col(Meeting.trial_id) == tid,
            join=((Meeting, col(Meeting.id) == col(MeetingAttendance.meeting_id)),),
        ),
        _sheet(
            session,
            "guests",
            "Guests at meetings, with their organisations.",
            MeetingGuest,
            col(Meeting.trial_id) == tid,
            join=((Meeting, col(Meeting.id) == col(MeetingGuest.meeting_id)),),
        ),
        _sheet(
            session,
            "decisions",
            "The decisions recorded at meetings (agenda items with one).",
            AgendaItem,
            col(Meeting.trial_id) == tid,
            col(AgendaItem.decision).is_not(None),
            join=by_meeting,
        ),
        _sheet(
            session,
            "deadlines",
            "Reporting deadlines (D-n) and their submissions.",
            Deadline,
            col(Deadline.trial_id) == tid,
        ),
        _sheet(
            session,
            "indicators",
            "Indicators (I-n) of the outcomes.",
            Indicator,
            col(Outcome.trial_id) == tid,
            join=((Outcome, col(Outcome.id) == col(Indicator.outcome_id)),),
        ),
        _sheet(
            session,
            "indicator_values",
            "The indicators' dated values and their sources.",
            IndicatorValue,
            col(Outcome.trial_id) == tid,
            join=(
                (Indicator, col(Indicator.id) == col(IndicatorValue.indicator_id)),
                (Outcome, col(Outcome.id) == col(Indicator.outcome_id)),
            ),
        ),
        _sheet(
            session,
            "programmes",
            "Programmes, services and coordination items (P-n), with funding in NZ cents.",
            ProgrammeItem,
            col(ProgrammeItem.trial_id) == tid,
        ),
        _sheet(
            session,
            "review_decisions",
            "The transition review's decision on each programme.",
            ReviewDecision,
            col(ProgrammeItem.trial_id) == tid,
            join=((ProgrammeItem, col(ProgrammeItem.id) == col(ReviewDecision.programme_item_id)),),
        ),
        _sheet(
            session,
            "audit_log",
            "Who changed what, and when.",
            AuditLog,
            col(AuditLog.trial_id) == tid,
        ),
    ]

"""What a six-monthly progress report draws on, for one trial or all, in one period.

Every figure comes from the database. A fixed number of queries whatever the number of
trials or tasks: outcomes, indicators, tasks (with their latest update), meetings held
(with attendance), deadlines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.indicators import Series, series_of
from models.local_time import days_between, local_date
from models.periods import Period
from models.programmes import ItemRow
from models.programmes import rows as programme_rows
from models.tables import (
    AgendaItem,
    Deadline,
    Meeting,
    MeetingAttendance,
    Member,
    Outcome,
    ProgressUpdate,
    Task,
    Trial,
    pk,
)
from models.tasks import OPEN_STATUSES
from models.types import AttendanceKind, MeetingStatus, Sector, TaskStatus


@dataclass(frozen=True)
class TaskLine:
    id: int
    title: str
    outcome_id: int | None
    status: str
    percent: int
    owner_user_id: str
    due_date: date | None
    completed_at: datetime | None
    latest_update: str | None


@dataclass
class MeetingRecord:
    meeting: Meeting
    sectors: dict[str, int] = field(default_factory=dict)
    decisions: list[tuple[str, str]] = field(default_factory=list)  # (agenda item, decision)

    @property
    def absent(self) -> list[str]:
        return [s.value for s in Sector if s.value not in self.sectors]


@dataclass
class TrialReport:
    trial: Trial
    period: Period
    outcomes: list[Outcome] = field(default_factory=list)
    indicators: dict[int, list[Series]] = field(default_factory=lambda: defaultdict(list))
    completed: list[TaskLine] = field(default_factory=list)
    in_progress: list[TaskLine] = field(default_factory=list)
    at_risk: list[TaskLine] = field(default_factory=list)
    meetings: list[MeetingRecord] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    programmes: list[ItemRow] = field(default_factory=list)
    review_deadline: Deadline | None = None  # the transition review's, if it has had one


def report_data(
    *, session: Session, trials: list[Trial], period: Period, tz: ZoneInfo
) -> list[TrialReport]:
    """One report per trial (in the order given), from eight queries; the period's days are
    the trial's local days."""
    reports = {pk(t): TrialReport(trial=t, period=period) for t in trials}
    ids = list(reports)
    start, end = days_between(period.start, period.end, tz)
    for outcome in session.exec(
        select(Outcome).where(col(Outcome.trial_id).in_(ids)).order_by(col(Outcome.id))
    ).all():
        reports[outcome.trial_id].outcomes.append(outcome)
    for trial_id, everything in series_of(session=session, trials=trials).items():
        for series in everything:
            reports[trial_id].indicators[pk(series.outcome)].append(series)
    latest = (
        sa_select(
            col(ProgressUpdate.task_id).label("task_id"),
            func.max(col(ProgressUpdate.id)).label("last_id"),
        )
        .where(col(ProgressUpdate.created_at) < end)
        .group_by(col(ProgressUpdate.task_id))
        .subquery()
    )
    rows = session.execute(
        sa_select(Task, col(Member.slack_user_id), col(ProgressUpdate.text))
        .join(Member, col(Member.id) == Task.owner_member_id)
        .outerjoin(latest, latest.c.task_id == Task.id)
        .outerjoin(ProgressUpdate, col(ProgressUpdate.id) == latest.c.last_id)
        .where(
            col(Task.trial_id).in_(ids),
            or_(
                and_(col(Task.completed_at) >= start, col(Task.completed_at) < end),
                and_(col(Task.status).in_(OPEN_STATUSES), col(Task.created_at) < end),
            ),
        )
        .order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.id))
    ).all()
    for task, owner, update in rows:
        line = TaskLine(
            pk(task),
            task.title,
            task.outcome_id,
            task.status,
            task.percent,
            owner,
            task.due_date,
            task.completed_at,
            update,
        )
        report = reports[task.trial_id]
        if task.status == TaskStatus.DONE.value:
            report.completed.append(line)
        elif task.status in (TaskStatus.AT_RISK.value, TaskStatus.BLOCKED.value):
            report.at_risk.append(line)
        else:
            report.in_progress.append(line)
    meetings: dict[int, MeetingRecord] = {}
    for meeting, sector in session.execute(
        sa_select(Meeting, col(Member.sector))
        .outerjoin(
            MeetingAttendance,
            (col(MeetingAttendance.meeting_id) == Meeting.id)
            & (col(MeetingAttendance.kind) == AttendanceKind.PRESENT.value),
        )
        .outerjoin(Member, col(Member.id) == MeetingAttendance.member_id)
        .where(
            col(Meeting.trial_id).in_(ids),
            col(Meeting.status) == MeetingStatus.HELD.value,
            col(Meeting.starts_at) >= start,
            col(Meeting.starts_at) < end,
        )
        .order_by(col(Meeting.starts_at))
    ).all():
        record = meetings.get(pk(meeting))
        if record is None:
            record = meetings[pk(meeting)] = MeetingRecord(meeting)
            reports[meeting.trial_id].meetings.append(record)
        if sector:
            record.sectors[sector] = record.sectors.get(sector, 0) + 1
    if meetings:
        for item in session.exec(
            select(AgendaItem)
            .where(
                col(AgendaItem.meeting_id).in_(list(meetings)),
                col(AgendaItem.decision).is_not(None),
            )
            .order_by(col(AgendaItem.meeting_id), col(AgendaItem.position))
        ).all():
            meetings[item.meeting_id].decisions.append((item.title, item.decision or ""))
    for deadline in session.exec(
        select(Deadline)
        .where(
            col(Deadline.trial_id).in_(ids),
            col(Deadline.due_date) >= period.start,
            col(Deadline.due_date) <= period.end,
        )
        .order_by(col(Deadline.due_date))
    ).all():
        reports[deadline.trial_id].deadlines.append(deadline)
    for row in programme_rows(session=session, trial_ids=ids):
        reports[row.item.trial_id].programmes.append(row)
    reviews = {t.review_deadline_id: pk(t) for t in trials if t.review_deadline_id is not None}
    found = select(Deadline).where(col(Deadline.id).in_(reviews))
    for deadline in session.exec(found).all() if reviews else []:
        reports[reviews[pk(deadline)]].review_deadline = deadline
    return [reports[pk(t)] for t in trials]


def deadline_outcome(deadline: Deadline, today: date, tz: ZoneInfo) -> str:
    """`met`, `late`, `missed`, `waived` or `due`, for the report."""
    if deadline.status == "submitted" and deadline.submitted_at is not None:
        return "met" if local_date(deadline.submitted_at, tz) <= deadline.due_date else "late"
    if deadline.status == "waived":
        return "waived"
    return "missed" if deadline.due_date < today else "due"

"""The measures behind trial summaries and the national roll-up, and their status.

Built from aggregates in SQL: a fixed number of queries whatever the number of trials,
tasks and updates (eight for the roll-up, ten for one trial's summary).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.db import rows
from models.indicators import Series, series_of
from models.phrases import N_, Phrase
from models.programmes import Funding, funding_by_trial
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
from models.tasks import OPEN_STATUSES, TaskRow, task_rows_query, trial_task_rows
from models.text import fold
from models.types import (
    AttendanceKind,
    DeadlineStatus,
    MeetingStatus,
    Sector,
    TaskStatus,
    TrialStatus,
)

STALE_AFTER = timedelta(days=30)
CLOSED_STATUSES = (TrialStatus.EXITED.value, TrialStatus.CONCLUDED.value)
SECTOR_WORDS = {
    "iwi": "Iwi",
    "council": "Council",
    "agency": "Government agencies",
    "community": "Community",
    "provider": "Providers",
}


@dataclass
class OutcomeProgress:
    name: str
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Measures:
    """One trial's measures, as the roll-up shows them."""

    trial: Trial
    total: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    blocked: int = 0
    at_risk: int = 0
    stale: int = 0
    done_this_week: int = 0
    touched_this_week: int = 0
    outcomes: list[OutcomeProgress] = field(default_factory=list)
    overdue_deadlines: list[Deadline] = field(default_factory=list)
    next_deadlines: list[Deadline] = field(default_factory=list)
    next_meeting: Meeting | None = None
    next_meeting_items: int = 0
    sectors: dict[str, int] = field(default_factory=dict)
    absent_sectors: list[str] = field(default_factory=list)
    status: str = "green"
    phrases: list[Phrase] = field(default_factory=list)  # why it is rated so, worst first
    # Each outcome's headline indicator (its first), in outcome order.
    indicators: list[Series] = field(default_factory=list)
    funding: Funding | None = None  # its programmes: funding by outcome, contracts ending

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def members(self) -> int:
        return sum(self.sectors.values())

    @property
    def reasons(self) -> list[str]:
        """Why it is rated so, worst first, in the reader's language."""
        return [str(phrase) for phrase in self.phrases]


@dataclass(frozen=True)
class UpdateLine:
    task_id: int
    task_title: str
    author_user_id: str
    text: str
    status: str
    percent: int
    created_at: datetime


@dataclass
class TrialSummary:
    """A trial's measures and the lists its summary shows."""

    measures: Measures
    attention: list[TaskRow] = field(default_factory=list)  # overdue or blocked
    stale: list[TaskRow] = field(default_factory=list)
    latest: list[UpdateLine] = field(default_factory=list)


def rate(m: Measures) -> tuple[str, list[Phrase]]:
    """Red, amber or green, with the reasons in words, worst first."""
    if m.trial.status in CLOSED_STATUSES:
        return "closed", [Phrase(N_("The trial has {status}."), {"status": m.trial.status})]
    red: list[Phrase] = []
    amber: list[Phrase] = []
    if m.overdue_deadlines:
        count, refs = (
            len(m.overdue_deadlines),
            ", ".join(f"D-{d.id}" for d in m.overdue_deadlines[:3]),
        )
        red.append(
            Phrase(
                N_("1 reporting deadline overdue ({references})")
                if count == 1
                else N_("{count} reporting deadlines overdue ({references})"),
                {"count": count, "references": refs},
                "overdue",
            )
        )
    if m.open and m.overdue * 4 > m.open:
        red.append(
            Phrase(
                N_("{overdue} of {open} open tasks are overdue"),
                {"overdue": m.overdue, "open": m.open},
                "overdue",
            )
        )
    elif m.overdue:
        amber.append(
            Phrase(
                N_("1 task overdue") if m.overdue == 1 else N_("{count} tasks overdue"),
                {"count": m.overdue},
                "overdue",
            )
        )
    if m.blocked:
        amber.append(
            Phrase(
                N_("1 task blocked") if m.blocked == 1 else N_("{count} tasks blocked"),
                {"count": m.blocked},
                "blocked",
            )
        )
    if m.open and m.stale * 2 >= m.open:
        amber.append(
            Phrase(
                N_("{stale} of {open} open tasks have had no update for 30 days"),
                {"stale": m.stale, "open": m.open},
                "stale",
            )
        )
    if m.absent_sectors:
        names = ", ".join(SECTOR_WORDS[s] for s in m.absent_sectors)
        amber.append(
            Phrase(N_("{sectors} missed the last two meetings"), {"sectors": names}, "absent")
        )
    if red:
        return "red", red + amber
    if amber:
        return "amber", amber
    return "green", [Phrase(N_("No overdue deadlines or tasks, nothing blocked"), about="clear")]


ATTENTION_ORDER = {"red": 0, "amber": 1, "green": 2, "closed": 3}


def _ids() -> Any:
    return bindparam("ids", expanding=True)


def _count_if(condition: Any) -> Any:
    # COUNT(*) FILTER (WHERE ...): cheaper than SUM(CASE ...) on SQLite; PostgreSQL too.
    return func.count().filter(condition)


# The roll-up's statements are built once and bound on each run: a summary asks ten of
# them, and building them cost more than running them on a trial of 2,000 tasks.
# One pass over the tasks, in the order of the covering index: per trial, outcome and
# status, how many, how many overdue, untouched for 30 days, done or touched this week.
_TASK_AGGREGATES = (
    sa_select(
        col(Task.trial_id),
        col(Task.outcome_id),
        col(Task.status),
        func.count(),
        _count_if(col(Task.due_date) < bindparam("today")),
        _count_if(col(Task.updated_at) < bindparam("stale_before")),
        _count_if(col(Task.completed_at) >= bindparam("week_ago")),
        _count_if(col(Task.updated_at) >= bindparam("week_ago")),
    )
    .where(col(Task.trial_id).in_(_ids()))
    .group_by(col(Task.trial_id), col(Task.outcome_id), col(Task.status))
)
_OUTCOME_NAMES = (
    sa_select(col(Outcome.id), col(Outcome.name))
    .where(col(Outcome.trial_id).in_(_ids()))
    .order_by(col(Outcome.id))
)
_OPEN_DEADLINES = (
    select(Deadline)
    .where(col(Deadline.trial_id).in_(_ids()), col(Deadline.status) == DeadlineStatus.OPEN.value)
    .order_by(col(Deadline.due_date), col(Deadline.id))
)
_AGENDA_SIZES = (
    sa_select(col(AgendaItem.meeting_id), func.count().label("size"))
    .group_by(col(AgendaItem.meeting_id))
    .subquery()
)
_MEETINGS_TO_COME = (
    sa_select(Meeting, func.coalesce(_AGENDA_SIZES.c.size, 0))
    .outerjoin(_AGENDA_SIZES, _AGENDA_SIZES.c.meeting_id == col(Meeting.id))
    .where(
        col(Meeting.trial_id).in_(_ids()),
        col(Meeting.status) == MeetingStatus.SCHEDULED.value,
        col(Meeting.starts_at) >= bindparam("now"),
    )
    .order_by(col(Meeting.starts_at))
)
_SECTORS = (
    sa_select(col(Member.trial_id), col(Member.sector), func.count())
    .where(col(Member.trial_id).in_(_ids()), col(Member.active).is_(True))
    .group_by(col(Member.trial_id), col(Member.sector))
)


def _task_aggregates(session: Session, ids: list[int], today: date, now: datetime) -> list[Any]:
    return list(
        rows(
            session,
            _TASK_AGGREGATES,
            {
                "ids": ids,
                "today": today,
                "stale_before": now - STALE_AFTER,
                "week_ago": now - timedelta(days=7),
            },
        ).all()
    )


def measures(
    *, session: Session, today: date, now: datetime, trial: Trial | None = None
) -> list[Measures]:
    """Every trial's measures (or one trial's), the trials needing attention first."""
    trials = (
        [trial]
        if trial is not None
        else list(session.exec(select(Trial).order_by(col(Trial.name))).all())
    )
    by_id = {pk(t): Measures(trial=t) for t in trials}
    ids = list(by_id)
    outcome_names = {id_: name for id_, name in rows(session, _OUTCOME_NAMES, {"ids": ids})}
    outcomes: dict[tuple[int, int | None], OutcomeProgress] = {}
    for (
        trial_id,
        outcome_id,
        status,
        count,
        overdue,
        stale,
        done_week,
        touched_week,
    ) in _task_aggregates(session, ids, today, now):
        m = by_id[trial_id]
        if status != TaskStatus.DROPPED.value:
            m.total += count
            name = outcome_names.get(outcome_id, "No outcome") if outcome_id else "No outcome"
            progress = outcomes.setdefault((trial_id, outcome_id), OutcomeProgress(name))
            progress.total += count
            if status == TaskStatus.DONE.value:
                m.done += count
                progress.done += count
        if status in OPEN_STATUSES:
            m.open += count
            m.overdue += int(overdue or 0)
            m.stale += int(stale or 0)
        m.blocked += count if status == TaskStatus.BLOCKED.value else 0
        m.at_risk += count if status == TaskStatus.AT_RISK.value else 0
        m.done_this_week += int(done_week or 0)
        m.touched_this_week += int(touched_week or 0)
    for (trial_id, _), progress in sorted(
        outcomes.items(), key=lambda item: (item[0][1] is None, item[0][1] or 0)
    ):
        by_id[trial_id].outcomes.append(progress)
    for deadline in session.exec(_OPEN_DEADLINES, params={"ids": ids}).all():
        m = by_id[deadline.trial_id]
        (m.overdue_deadlines if deadline.due_date < today else m.next_deadlines).append(deadline)
    for meeting, size in session.execute(_MEETINGS_TO_COME, {"ids": ids, "now": now}).all():
        m = by_id[meeting.trial_id]
        if m.next_meeting is None:
            m.next_meeting, m.next_meeting_items = meeting, int(size)
    for trial_id, sector, count in rows(session, _SECTORS, {"ids": ids}).all():
        by_id[trial_id].sectors[sector] = int(count)
    for trial_id, everything in series_of(session=session, trials=trials).items():
        seen: set[int] = set()
        for series in everything:
            if series.outcome.id not in seen:
                seen.add(pk(series.outcome))
                by_id[trial_id].indicators.append(series)
    for trial_id, absent in _absent_from_last_two(session, ids).items():
        by_id[trial_id].absent_sectors = absent
    for trial_id, funding in funding_by_trial(session=session, trial_ids=ids, today=today).items():
        by_id[trial_id].funding = funding
    for m in by_id.values():
        m.status, m.phrases = rate(m)
    return sorted(
        by_id.values(),
        key=lambda m: (
            ATTENTION_ORDER[m.status],
            -len(m.overdue_deadlines),
            -m.overdue,
            m.trial.name,
        ),
    )


_RANKED_HELD = (
    sa_select(
        col(Meeting.id).label("meeting_id"),
        col(Meeting.trial_id).label("trial_id"),
        func.row_number()
        .over(partition_by=col(Meeting.trial_id), order_by=col(Meeting.starts_at).desc())
        .label("rank"),
    )
    .where(col(Meeting.trial_id).in_(_ids()), col(Meeting.status) == MeetingStatus.HELD.value)
    .subquery()
)
_PRESENT_AT_LAST_TWO = (
    sa_select(_RANKED_HELD.c.trial_id, _RANKED_HELD.c.meeting_id, col(Member.sector))
    .outerjoin(
        MeetingAttendance,
        (col(MeetingAttendance.meeting_id) == _RANKED_HELD.c.meeting_id)
        & (col(MeetingAttendance.kind) == AttendanceKind.PRESENT.value),
    )
    .outerjoin(Member, col(Member.id) == col(MeetingAttendance.member_id))
    .where(_RANKED_HELD.c.rank <= 2)
)


def _absent_from_last_two(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Per trial, the sectors missing from both of its last two held meetings (one query)."""
    meetings: dict[int, set[int]] = defaultdict(set)
    present: dict[int, set[str]] = defaultdict(set)
    for trial_id, meeting_id, sector in rows(session, _PRESENT_AT_LAST_TWO, {"ids": ids}).all():
        meetings[trial_id].add(meeting_id)
        if sector:
            present[trial_id].add(sector)
    return {
        trial_id: [s.value for s in Sector if s.value not in present[trial_id]]
        for trial_id, held in meetings.items()
        if len(held) == 2
    }


@cache
def _attention_rows() -> Any:
    select_rows, _ = task_rows_query()
    return (
        select_rows.add_columns(col(Task.updated_at))
        .where(
            col(Task.trial_id) == bindparam("trial_id"),
            col(Task.status).in_(OPEN_STATUSES),
            (col(Task.due_date) < bindparam("today"))
            | (col(Task.status) == TaskStatus.BLOCKED.value)
            | (col(Task.updated_at) < bindparam("stale_before")),
        )
        .order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.id))
        .limit(30)
    )


_LATEST_UPDATES = (
    sa_select(ProgressUpdate, col(Task.title))
    .join(Task, col(Task.id) == col(ProgressUpdate.task_id))
    .where(col(Task.trial_id) == bindparam("trial_id"))
    .order_by(col(ProgressUpdate.created_at).desc(), col(ProgressUpdate.id).desc())
    .limit(5)
)


def trial_summary(*, session: Session, trial: Trial, today: date, now: datetime) -> TrialSummary:
    """One trial's measures and lists (ten queries)."""
    summary = TrialSummary(measures=measures(session=session, today=today, now=now, trial=trial)[0])
    stale_before = now - STALE_AFTER
    for row in rows(
        session,
        _attention_rows(),
        {"trial_id": trial.id, "today": today, "stale_before": stale_before},
    ).all():
        task = TaskRow(*row[:-1])
        updated = row[-1]
        if task.overdue(today) or task.status == TaskStatus.BLOCKED.value:
            summary.attention.append(task)
        elif updated < stale_before:
            summary.stale.append(task)
    for update, title in session.execute(_LATEST_UPDATES, {"trial_id": trial.id}).all():
        summary.latest.append(
            UpdateLine(
                update.task_id,
                title,
                update.author_user_id,
                update.text,
                update.status,
                update.percent,
                update.created_at,
            )
        )
    return summary


def find_trial(*, session: Session, name: str) -> list[Trial]:
    """Trials matching a name forgivingly: exact (ignoring case and macrons), else those
    starting with, else containing, it."""
    wanted = fold(name)
    trials = session.exec(select(Trial).order_by(col(Trial.name))).all()
    for test in (
        lambda key: key == wanted,
        lambda key: key.startswith(wanted),
        lambda key: wanted in key,
    ):
        found = [t for t in trials if test(t.name_key)]
        if found:
            return found
    return []


def export_rows(
    *, session: Session, trial: Trial
) -> tuple[list[TaskRow], dict[int, tuple[int, str]]]:
    """All the trial's tasks, and per task its number of updates and the latest's text."""
    assert trial.id is not None
    tasks = trial_task_rows(session=session, trial_id=trial.id)
    latest = (
        sa_select(
            col(ProgressUpdate.task_id),
            func.count().label("updates"),
            func.max(col(ProgressUpdate.id)).label("last_id"),
        )
        .join(Task, col(Task.id) == col(ProgressUpdate.task_id))
        .where(col(Task.trial_id) == trial.id)
        .group_by(col(ProgressUpdate.task_id))
        .subquery()
    )
    updates = {
        task_id: (int(count), text)
        for task_id, count, text in session.execute(
            sa_select(latest.c.task_id, latest.c.updates, col(ProgressUpdate.text)).join(
                ProgressUpdate, col(ProgressUpdate.id) == latest.c.last_id
            )
        ).all()
    }
    return tasks, updates

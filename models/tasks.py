"""The Action Plan: outcomes, tasks (`T-12`) and their progress updates.

Keyword-only functions; the caller owns the session. Writes lock the task row first
(`FOR UPDATE` on PostgreSQL; SQLite's write transactions already hold the lock), so
two clicks on the same button make one change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models.audit import record
from models.db import rows
from models.errors import N_, ClosedRecord, NotFound, UserError
from models.tables import Member, Outcome, ProgressUpdate, Task, Trial
from models.text import fold
from models.types import TaskStatus, UpdateSource, utcnow

OPEN_STATUSES = (
    TaskStatus.NOT_STARTED.value,
    TaskStatus.ON_TRACK.value,
    TaskStatus.AT_RISK.value,
    TaskStatus.BLOCKED.value,
)


@dataclass(frozen=True)
class TaskRow:
    """A task as lists and cards show it."""

    id: int
    trial_id: int
    trial_name: str
    channel_id: str | None
    title: str
    status: str
    percent: int
    due_date: date | None
    owner_user_id: str
    outcome_name: str | None
    created_by: str
    created_at: datetime
    completed_at: datetime | None
    source_agenda_item_id: int | None
    owner_name: str | None = None  # as Slack last told us, for files read away from Slack

    @property
    def reference(self) -> str:
        return f"T-{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


@cache
def task_rows_query() -> tuple[Select[Any], Any]:
    """Every column a TaskRow needs, in its order, and the owner alias to filter on. Built
    once: a statement is immutable (`.where` makes a new one), and building this one, its
    alias above all, cost several times what running it does."""
    owner = aliased(Member)
    columns: list[Any] = [
        Task.id,
        Task.trial_id,
        Trial.name,
        Trial.channel_id,
        Task.title,
        Task.status,
        Task.percent,
        Task.due_date,
        owner.slack_user_id,
        Outcome.name,
        Task.created_by,
        Task.created_at,
        Task.completed_at,
        Task.source_agenda_item_id,
        func.coalesce(owner.real_name, owner.display_name, owner.handle),
    ]
    return (
        sa_select(*columns)
        .join(Trial, col(Trial.id) == Task.trial_id)
        .join(owner, col(owner.id) == Task.owner_member_id)
        .outerjoin(Outcome, col(Outcome.id) == Task.outcome_id)
    ), owner


def _due_order() -> tuple[Any, ...]:
    # Soonest due first, undated last, then oldest first.
    return (col(Task.due_date).is_(None), col(Task.due_date), col(Task.id))


# ----- outcomes -------------------------------------------------------------------------


def match_outcome(*, session: Session, trial: Trial, name: str) -> Outcome | None:
    """An outcome by name: exact (ignoring case and macrons), else the one containing it.

    "truancy" finds "Reduce truancy" when no other outcome contains "truancy"; more
    than one is refused with the candidates.
    """
    wanted = fold(name)
    outcomes = session.exec(select(Outcome).where(Outcome.trial_id == trial.id)).all()
    exact = [o for o in outcomes if o.name_key == wanted]
    if exact:
        return exact[0]
    partial = [o for o in outcomes if wanted in o.name_key]
    if len(partial) > 1:
        names = ", ".join(f"“{o.name}”" for o in partial)
        raise UserError(
            N_("“{name}” could be {names}. Give more of the outcome's name."),
            name=name,
            names=names,
        )
    return partial[0] if partial else None


def outcome_for(*, session: Session, trial: Trial, name: str, actor_user_id: str) -> Outcome:
    """The matching outcome, created on first use."""
    outcome = match_outcome(session=session, trial=trial, name=name)
    if outcome is not None:
        return outcome
    outcome = Outcome(trial_id=trial.id, name=name, name_key=fold(name))  # type: ignore[arg-type]
    session.add(outcome)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="outcome.created",
        entity="outcome",
        entity_id=outcome.id,
        trial_id=trial.id,
        detail={"name": name},
    )
    return outcome


# ----- reading tasks --------------------------------------------------------------------


def active_member(*, session: Session, trial: Trial, user_id: str) -> Member | None:
    return session.exec(
        select(Member).where(
            Member.trial_id == trial.id,
            Member.slack_user_id == user_id,
            col(Member.active).is_(True),
        )
    ).first()


def get_task(*, session: Session, number: int, lock: bool = False) -> Task:
    """The task `T-<number>`, or NotFound."""
    task = session.get(Task, number, with_for_update=lock)
    if task is None:
        raise NotFound(N_("There is no task T-{number}."), kind="task", number=number)
    return task


@cache
def _task_row_query() -> Select[Any]:
    query, _ = task_rows_query()
    return query.where(col(Task.id) == bindparam("task_id"))


def task_row(*, session: Session, task_id: int) -> TaskRow:
    return TaskRow(*rows(session, _task_row_query(), {"task_id": task_id}).one())


@cache
def _trial_rows_query() -> Select[Any]:
    query, _ = task_rows_query()
    return query.where(col(Task.trial_id) == bindparam("trial_id")).order_by(col(Task.id))


def trial_task_rows(*, session: Session, trial_id: int) -> list[TaskRow]:
    """Every task of a trial, open and done, oldest first."""
    return [TaskRow(*row) for row in rows(session, _trial_rows_query(), {"trial_id": trial_id})]


@dataclass(frozen=True)
class TaskQuery:
    """Which of a trial's tasks to list."""

    include_closed: bool = False
    overdue_on: date | None = None
    owner_user_id: str | None = None
    outcome_id: int | None = None


@dataclass(frozen=True)
class TaskPage:
    rows: list[TaskRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def list_tasks(
    *, session: Session, trial: Trial, query: TaskQuery, page: int = 1, page_size: int = 15
) -> TaskPage:
    """One page of a trial's tasks, soonest due first, and how many there are in all."""
    select_rows, _ = task_rows_query()
    conditions: list[ColumnElement[bool]] = [col(Task.trial_id) == trial.id]
    if not query.include_closed:
        conditions.append(col(Task.status).in_(OPEN_STATUSES))
    if query.overdue_on is not None:
        conditions.append(col(Task.due_date) < query.overdue_on)
    if query.owner_user_id is not None:
        conditions.append(
            col(Task.owner_member_id).in_(
                select(Member.id).where(Member.slack_user_id == query.owner_user_id)
            )
        )
    if query.outcome_id is not None:
        conditions.append(col(Task.outcome_id) == query.outcome_id)
    total = rows(session, select(func.count()).select_from(Task).where(*conditions)).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    found = rows(
        session,
        select_rows.where(*conditions)
        .order_by(*_due_order())
        .offset((page - 1) * page_size)
        .limit(page_size),
    ).all()
    return TaskPage([TaskRow(*row) for row in found], total, page, page_size)


def open_tasks_of(*, session: Session, user_id: str, limit: int = 100) -> list[TaskRow]:
    """A person's open tasks across all their trials, soonest due first."""
    select_rows, owner = task_rows_query()
    found = rows(
        session,
        select_rows.where(
            owner.slack_user_id == user_id,
            col(owner.active).is_(True),
            col(Task.status).in_(OPEN_STATUSES),
        )
        .order_by(*_due_order())
        .limit(limit),
    ).all()
    return [TaskRow(*row) for row in found]


@dataclass(frozen=True)
class UpdateRow:
    author_user_id: str
    text: str
    status: str
    percent: int
    source: str
    created_at: datetime


def updates_of(*, session: Session, task_id: int, limit: int = 10) -> tuple[list[UpdateRow], int]:
    """The latest updates of a task, newest first, and how many there are in all."""
    total = session.exec(
        select(func.count()).select_from(ProgressUpdate).where(ProgressUpdate.task_id == task_id)
    ).one()
    found = session.exec(
        select(ProgressUpdate)
        .where(ProgressUpdate.task_id == task_id)
        .order_by(col(ProgressUpdate.created_at).desc(), col(ProgressUpdate.id).desc())
        .limit(limit)
    ).all()
    return [
        UpdateRow(u.author_user_id, u.text, u.status, u.percent, u.source, u.created_at)
        for u in found
    ], total


# ----- changing tasks -------------------------------------------------------------------


def add_task(
    *,
    session: Session,
    trial: Trial,
    title: str,
    owner: Member,
    due_date: date | None,
    outcome: Outcome | None,
    actor_user_id: str,
    source_agenda_item_id: int | None = None,
    programme_item_id: int | None = None,
) -> Task:
    """Add an action to the trial's Action Plan (perhaps of one of its programmes)."""
    task = Task(
        trial_id=trial.id,  # type: ignore[arg-type]
        title=title,
        owner_member_id=owner.id,  # type: ignore[arg-type]
        due_date=due_date,
        outcome_id=outcome.id if outcome else None,
        created_by=actor_user_id,
        source_agenda_item_id=source_agenda_item_id,
        programme_item_id=programme_item_id,
    )
    session.add(task)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="task.added",
        entity="task",
        entity_id=task.id,
        trial_id=trial.id,
        detail={
            "title": title,
            "owner": owner.slack_user_id,
            "due": due_date,
            "outcome": outcome.name if outcome else None,
        },
    )
    return task


@dataclass(frozen=True)
class UpdateResult:
    changed: bool
    previous_status: str
    update: ProgressUpdate | None


def record_update(
    *,
    session: Session,
    task: Task,
    author_user_id: str,
    text: str,
    status: TaskStatus | None,
    percent: int | None,
    source: UpdateSource,
) -> UpdateResult:
    """A progress update: moves the task's status and percent and keeps the note.

    Marking a finished task done again changes nothing (a double click is one change).
    """
    previous = task.status
    new_status = status.value if status else task.status
    if new_status == TaskStatus.NOT_STARTED.value and (percent or text):
        new_status = TaskStatus.ON_TRACK.value
    if previous in (TaskStatus.DONE.value, TaskStatus.DROPPED.value) and new_status == previous:
        return UpdateResult(False, previous, None)
    if previous in (TaskStatus.DONE.value, TaskStatus.DROPPED.value) and status is None:
        raise ClosedRecord(
            N_("T-{task} is {previous}. To reopen it, give a status."),
            reference=f"T-{task.id}",
            task=task.id,
            previous=previous,
        )
    new_percent = task.percent if percent is None else percent
    if new_status == TaskStatus.DONE.value:
        new_percent = 100
        task.completed_at = task.completed_at if previous == new_status else utcnow()
    else:
        task.completed_at = None
    task.status, task.percent, task.updated_at = new_status, new_percent, utcnow()
    update = ProgressUpdate(
        task_id=task.id,  # type: ignore[arg-type]
        author_user_id=author_user_id,
        text=text,
        status=new_status,
        percent=new_percent,
        source=source.value,
    )
    session.add(task)
    session.add(update)
    session.flush()
    record(
        session=session,
        actor_user_id=author_user_id,
        action="task.updated" if new_status != TaskStatus.DONE.value else "task.done",
        entity="task",
        entity_id=task.id,
        trial_id=task.trial_id,
        detail={"from": previous, "to": new_status, "percent": new_percent, "source": source.value},
    )
    return UpdateResult(True, previous, update)


def assign_task(*, session: Session, task: Task, owner: Member, actor_user_id: str) -> str | None:
    """Give the task a new owner; returns the previous owner's user ID (None if unchanged)."""
    previous = session.get(Member, task.owner_member_id)
    if previous is not None and previous.id == owner.id:
        return None
    task.owner_member_id, task.updated_at = owner.id, utcnow()  # type: ignore[assignment]
    session.add(task)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="task.assigned",
        entity="task",
        entity_id=task.id,
        trial_id=task.trial_id,
        detail={"from": previous.slack_user_id if previous else None, "to": owner.slack_user_id},
    )
    return previous.slack_user_id if previous else ""


def set_due(*, session: Session, task: Task, due_date: date | None, actor_user_id: str) -> None:
    """Move the task's due date."""
    previous = task.due_date
    task.due_date, task.updated_at = due_date, utcnow()
    session.add(task)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="task.due",
        entity="task",
        entity_id=task.id,
        trial_id=task.trial_id,
        detail={"from": previous, "to": due_date},
    )


def rename_task(*, session: Session, task: Task, title: str, actor_user_id: str) -> str:
    """A new title; the previous one stays in the audit log."""
    previous = task.title
    task.title, task.updated_at = title, utcnow()
    session.add(task)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="task.renamed",
        entity="task",
        entity_id=task.id,
        trial_id=task.trial_id,
        detail={"from": previous, "to": title},
    )
    return previous

"""Test data written straight through the models, for tests that need a lot of it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from models.tables import Deadline, Member, Task, Trial, pk
from ui.parsing import fold


def trial(
    session: Session, name: str, *, region: str | None = "Southland", channel: str | None = None
) -> Trial:
    row = Trial(name=name, name_key=fold(name), region=region, channel_id=channel)
    session.add(row)
    session.flush()
    return row


def member(
    session: Session,
    trial_row: Trial,
    user_id: str,
    *,
    role: str = "member",
    sector: str = "community",
    away_until: date | None = None,
) -> Member:
    row = Member(
        trial_id=pk(trial_row),
        slack_user_id=user_id,
        sector=sector,
        role=role,
        away_until=away_until,
    )
    session.add(row)
    session.flush()
    return row


def task(
    session: Session,
    trial_row: Trial,
    owner: Member,
    title: str,
    due: date | None,
    *,
    made: datetime | None = None,
) -> Task:
    row = Task(
        trial_id=pk(trial_row),
        owner_member_id=pk(owner),
        title=title,
        due_date=due,
        created_by=owner.slack_user_id,
    )
    if made is not None:
        row.created_at = row.updated_at = made
    session.add(row)
    session.flush()
    return row


def deadline(
    session: Session,
    trial_row: Trial,
    responsible: Member | None,
    title: str,
    due: date,
    *,
    made: datetime | None = None,
) -> Deadline:
    row = Deadline(
        trial_id=pk(trial_row),
        title=title,
        due_date=due,
        responsible_member_id=responsible.id if responsible else None,
        created_by="UDIRECTOR",
    )
    if made is not None:
        row.created_at = made
    session.add(row)
    session.flush()
    return row


def many_tasks_due(session: Session, *, count: int, due: date, owners: int) -> Trial:
    """`count` open tasks due on `due`, spread over `owners` members of one trial."""
    row = trial(session, "Kawerau District", region="Bay of Plenty", channel="CKAWERAU")
    people = [member(session, row, f"UOWNER{n:04d}") for n in range(owners)]
    for n in range(count):
        session.add(
            Task(
                trial_id=pk(row),
                owner_member_id=pk(people[n % owners]),
                title=f"Action {n}",
                due_date=due,
                created_by="ULEAD",
            )
        )
    return row


def programme(
    session: Session, *, trials: int, tasks: int, updates: int, today: date, prefix: str = "Trial"
) -> list[Trial]:
    """`trials` trials, each with members of every sector, three outcomes, `tasks` tasks in
    every status and `updates` progress updates per task, deadlines and meetings; written
    with bulk inserts so that the large programme loads in seconds."""
    from datetime import UTC, datetime, time, timedelta

    from sqlalchemy import insert

    from models.tables import (
        Meeting,
        MeetingAttendance,
        Outcome,
        ProgressUpdate,
    )

    statuses = ["not-started", "on-track", "at-risk", "blocked", "done", "on-track", "done"]
    sectors = ["iwi", "council", "agency", "community", "provider"]
    made = []
    now = datetime.combine(today, time(9), tzinfo=UTC)
    for number in range(trials):
        row = trial(session, f"{prefix} {number:02d}", channel=f"C{prefix.upper()}{number:02d}")
        made.append(row)
        people = [
            member(
                session,
                row,
                f"U{prefix.upper()}{number:02d}{n}",
                role="lead" if n == 0 else "member",
                sector=sectors[n % 5],
            )
            for n in range(6)
        ]
        outcomes = []
        for name in ("Reduce truancy", "Reduce offending", "More young people in work"):
            outcome = Outcome(trial_id=pk(row), name=name, name_key=fold(name))
            session.add(outcome)
            outcomes.append(outcome)
        session.flush()
        task_rows = [
            {
                "trial_id": pk(row),
                "title": f"Action {n}",
                "owner_member_id": pk(people[n % 6]),
                "outcome_id": pk(outcomes[n % 3]),
                "status": statuses[n % 7],
                "percent": 100 if statuses[n % 7] == "done" else (n * 7) % 100,
                "due_date": today + timedelta(days=(n % 60) - 20),
                "created_by": people[0].slack_user_id,
                "created_at": now - timedelta(days=90),
                "updated_at": now - timedelta(days=n % 45),
                "completed_at": now - timedelta(days=n % 10) if statuses[n % 7] == "done" else None,
            }
            for n in range(tasks)
        ]
        ids = session.execute(insert(Task).returning(Task.id), task_rows).scalars().all()
        if updates:
            session.execute(
                insert(ProgressUpdate),
                [
                    {
                        "task_id": task_id,
                        "author_user_id": people[0].slack_user_id,
                        "text": f"Update {k}",
                        "status": "on-track",
                        "percent": 10 * k,
                        "source": "command",
                        "created_at": now - timedelta(days=k * 3 + n % 7),
                    }
                    for n, task_id in enumerate(ids)
                    for k in range(updates)
                ],
            )
        session.add(
            deadline(
                session,
                row,
                people[0],
                "Six-monthly progress report to Ministers",
                today + timedelta(days=10 - number % 15),
            )
        )
        for days in (-14, -7, 5):
            meeting = Meeting(
                trial_id=pk(row),
                created_by=people[0].slack_user_id,
                starts_at=now + timedelta(days=days),
                status="held" if days < 0 else "scheduled",
            )
            session.add(meeting)
            session.flush()
            if days < 0:
                for person in people[: 3 + number % 3]:
                    session.add(MeetingAttendance(meeting_id=pk(meeting), member_id=pk(person)))
    session.flush()
    return made

"""Test data written straight through the models, for tests that need a lot of it."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.parsing import fold
from models.tables import Deadline, Member, Task, Trial, pk


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


def task(session: Session, trial_row: Trial, owner: Member, title: str, due: date | None) -> Task:
    row = Task(
        trial_id=pk(trial_row),
        owner_member_id=pk(owner),
        title=title,
        due_date=due,
        created_by=owner.slack_user_id,
    )
    session.add(row)
    session.flush()
    return row


def deadline(
    session: Session, trial_row: Trial, responsible: Member | None, title: str, due: date
) -> Deadline:
    row = Deadline(
        trial_id=pk(trial_row),
        title=title,
        due_date=due,
        responsible_member_id=responsible.id if responsible else None,
        created_by="UDIRECTOR",
    )
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

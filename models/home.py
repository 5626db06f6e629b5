"""What a person's App Home shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.tables import Deadline, Meeting, Member, Trial


@dataclass(frozen=True)
class Membership:
    trial_name: str
    channel_id: str | None
    role: str
    sector: str


def memberships_of(*, session: Session, user_id: str) -> list[Membership]:
    """The groups a person is an active member of, by trial name."""
    rows = session.exec(
        select(Trial.name, Trial.channel_id, Member.role, Member.sector)
        .join(Member, col(Member.trial_id) == Trial.id)
        .where(Member.slack_user_id == user_id, col(Member.active).is_(True))
        .order_by(Trial.name)
    ).all()
    return [Membership(*row) for row in rows]


@dataclass(frozen=True)
class DeadlineItem:
    id: int
    title: str
    due_date: date
    trial_name: str


@dataclass(frozen=True)
class MeetingItem:
    id: int
    starts_at: datetime
    place: str | None
    trial_name: str


def deadlines_of(*, session: Session, user_id: str, limit: int = 5) -> list[DeadlineItem]:
    """Open deadlines this person is responsible for, soonest first."""
    rows = session.exec(
        select(Deadline, Trial.name)
        .join(Member, col(Member.id) == Deadline.responsible_member_id)
        .join(Trial, col(Trial.id) == Deadline.trial_id)
        .where(Member.slack_user_id == user_id, col(Deadline.status) == "open")
        .order_by(col(Deadline.due_date))
        .limit(limit)
    ).all()
    return [DeadlineItem(d.id or 0, d.title, d.due_date, name) for d, name in rows]


def meetings_of(
    *, session: Session, user_id: str, now: datetime, limit: int = 5
) -> list[MeetingItem]:
    """The next scheduled meetings of this person's groups."""
    rows = session.exec(
        select(Meeting, Trial.name)
        .join(Trial, col(Trial.id) == Meeting.trial_id)
        .join(Member, col(Member.trial_id) == Trial.id)
        .where(
            Member.slack_user_id == user_id,
            col(Member.active).is_(True),
            col(Meeting.status) == "scheduled",
            col(Meeting.starts_at) >= now,
        )
        .order_by(col(Meeting.starts_at))
        .limit(limit)
    ).all()
    return [MeetingItem(m.id or 0, m.starts_at, m.place, name) for m, name in rows]

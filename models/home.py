"""What a person's App Home shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from models.db import rows
from models.tables import Deadline, Meeting, Member, Trial


@dataclass(frozen=True)
class Membership:
    trial_name: str
    channel_id: str | None
    role: str
    sector: str


# A Home is published after every change to a person's tasks, so its statements are built
# once (building one cost more than running it) and run as plain SQL.
_MEMBERSHIPS = (
    select(Trial.name, Trial.channel_id, Member.role, Member.sector)
    .join(Member, col(Member.trial_id) == Trial.id)
    .where(Member.slack_user_id == bindparam("user_id"), col(Member.active).is_(True))
    .order_by(Trial.name)
)


def memberships_of(*, session: Session, user_id: str) -> list[Membership]:
    """The groups a person is an active member of, by trial name."""
    return [Membership(*row) for row in rows(session, _MEMBERSHIPS, {"user_id": user_id})]


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


_DEADLINES = (
    select(col(Deadline.id), col(Deadline.title), col(Deadline.due_date), col(Trial.name))
    .join(Member, col(Member.id) == Deadline.responsible_member_id)
    .join(Trial, col(Trial.id) == Deadline.trial_id)
    .where(Member.slack_user_id == bindparam("user_id"), col(Deadline.status) == "open")
    .order_by(col(Deadline.due_date))
    .limit(bindparam("limit"))
)
_MEETINGS = (
    select(col(Meeting.id), col(Meeting.starts_at), col(Meeting.place), col(Trial.name))
    .join(Trial, col(Trial.id) == Meeting.trial_id)
    .join(Member, col(Member.trial_id) == Trial.id)
    .where(
        Member.slack_user_id == bindparam("user_id"),
        col(Member.active).is_(True),
        col(Meeting.status) == "scheduled",
        col(Meeting.starts_at) >= bindparam("now"),
    )
    .order_by(col(Meeting.starts_at))
    .limit(bindparam("limit"))
)


def deadlines_of(*, session: Session, user_id: str, limit: int = 5) -> list[DeadlineItem]:
    """Open deadlines this person is responsible for, soonest first."""
    found = rows(session, _DEADLINES, {"user_id": user_id, "limit": limit})
    return [DeadlineItem(*row) for row in found]


def meetings_of(
    *, session: Session, user_id: str, now: datetime, limit: int = 5
) -> list[MeetingItem]:
    """The next scheduled meetings of this person's groups."""
    found = rows(session, _MEETINGS, {"user_id": user_id, "now": now, "limit": limit})
    return [MeetingItem(*row) for row in found]

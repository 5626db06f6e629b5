"""What a person's App Home shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.tables import Member, Trial


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

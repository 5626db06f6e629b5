"""Reporting deadlines (`D-3`): a trial's, or national ones (one per active trial)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models.audit import record
from models.errors import N_, NotFound, UserError
from models.tables import Deadline, Member, Trial, pk
from models.types import DeadlineStatus, Role, TrialStatus, utcnow


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    trial_name: str
    responsible_user_id: str | None


def get_deadline(*, session: Session, number: int, lock: bool = False) -> Deadline:
    deadline = session.get(Deadline, number, with_for_update=lock)
    if deadline is None:
        raise NotFound(N_("There is no deadline D-{number}."), kind="deadline", number=number)
    return deadline


def responsible_of(*, session: Session, deadline: Deadline) -> str | None:
    if deadline.responsible_member_id is None:
        return None
    member = session.get(Member, deadline.responsible_member_id)
    return member.slack_user_id if member else None


def _first_lead(session: Session, trial: Trial) -> Member | None:
    return session.exec(
        select(Member)
        .where(
            Member.trial_id == trial.id,
            Member.role == Role.LEAD.value,
            col(Member.active).is_(True),
        )
        .order_by(col(Member.id))
    ).first()


def add(
    *,
    session: Session,
    trial: Trial,
    title: str,
    due_date: date,
    responsible: Member | None,
    actor_user_id: str,
    national_key: str | None = None,
) -> Deadline:
    """A deadline for the trial; the lead is responsible unless someone is named."""
    owner = responsible or _first_lead(session, trial)
    deadline = Deadline(
        trial_id=pk(trial),
        title=title,
        due_date=due_date,
        responsible_member_id=owner.id if owner else None,
        created_by=actor_user_id,
        national_key=national_key,
    )
    session.add(deadline)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="deadline.added",
        entity="deadline",
        entity_id=deadline.id,
        trial_id=trial.id,
        detail={"title": title, "due": due_date, "national": national_key},
    )
    return deadline


REPORTING = (TrialStatus.ACTIVE.value, TrialStatus.TRANSITIONING.value)


def add_national(
    *, session: Session, title: str, due_date: date, actor_user_id: str
) -> list[tuple[Trial, Deadline]]:
    """The same deadline in every trial still reporting (active or transitioning; not
    exited, concluded or locally-led), each owned by its lead."""
    key = str(uuid.uuid4())
    trials = session.exec(
        select(Trial).where(col(Trial.status).in_(REPORTING)).order_by(col(Trial.name_key))
    ).all()
    return [
        (
            trial,
            add(
                session=session,
                trial=trial,
                title=title,
                due_date=due_date,
                responsible=None,
                actor_user_id=actor_user_id,
                national_key=key,
            ),
        )
        for trial in trials
    ]


def listing(*, session: Session, trial: Trial | None, limit: int = 40) -> list[DeadlineRow]:
    """Open deadlines, soonest first (one trial's, or every trial's for the Director)."""
    query = (
        select(Deadline, Trial.name, Member.slack_user_id)
        .join(Trial, col(Trial.id) == Deadline.trial_id)
        .outerjoin(Member, col(Member.id) == Deadline.responsible_member_id)
        .where(Deadline.status == DeadlineStatus.OPEN.value)
        .order_by(col(Deadline.due_date), col(Trial.name))
        .limit(limit)
    )
    if trial is not None:
        query = query.where(Deadline.trial_id == trial.id)
    return [DeadlineRow(d, name, user) for d, name, user in session.exec(query).all()]


def mark_submitted(
    *, session: Session, deadline: Deadline, link: str | None, actor_user_id: str
) -> bool:
    """Mark it submitted (with a link to the report); False if it already was."""
    if deadline.status == DeadlineStatus.SUBMITTED.value:
        return False
    deadline.status = DeadlineStatus.SUBMITTED.value
    deadline.submitted_at, deadline.submitted_link = utcnow(), link
    session.add(deadline)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="deadline.submitted",
        entity="deadline",
        entity_id=deadline.id,
        trial_id=deadline.trial_id,
        detail={"link": link},
    )
    return True


def set_offsets(
    *, session: Session, deadline: Deadline, offsets: list[int], actor_user_id: str
) -> None:
    previous = deadline.reminder_offsets
    deadline.reminder_offsets = ",".join(str(day) for day in offsets)
    session.add(deadline)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="deadline.reminders",
        entity="deadline",
        entity_id=deadline.id,
        trial_id=deadline.trial_id,
        detail={"from": previous, "to": deadline.reminder_offsets},
    )


def snooze(*, session: Session, deadline: Deadline, until: date, actor_user_id: str) -> None:
    deadline.snoozed_until = until
    session.add(deadline)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="deadline.snoozed",
        entity="deadline",
        entity_id=deadline.id,
        trial_id=deadline.trial_id,
        detail={"until": until},
    )


def waive(*, session: Session, deadline: Deadline, reason: str, actor_user_id: str) -> bool:
    """The Ministry no longer needs it: waived, reminders stop; False if it already was."""
    if deadline.status == DeadlineStatus.WAIVED.value:
        return False
    if deadline.status == DeadlineStatus.SUBMITTED.value:
        raise UserError(
            N_("D-{deadline} was submitted already, so it can't be waived."), deadline=deadline.id
        )
    deadline.status = DeadlineStatus.WAIVED.value
    session.add(deadline)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="deadline.waived",
        entity="deadline",
        entity_id=deadline.id,
        trial_id=deadline.trial_id,
        detail={"reason": reason},
    )
    return True


def set_due(*, session: Session, deadline: Deadline, due_date: date, actor_user_id: str) -> date:
    """Move the due date (its reminders follow it); the previous date."""
    if deadline.status != DeadlineStatus.OPEN.value:
        raise UserError(
            N_("D-{deadline} is {status}; its date no longer matters."),
            deadline=deadline.id,
            status=deadline.status,
        )
    previous = deadline.due_date
    deadline.due_date, deadline.snoozed_until = due_date, None
    session.add(deadline)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="deadline.due",
        entity="deadline",
        entity_id=deadline.id,
        trial_id=deadline.trial_id,
        detail={"from": previous, "to": due_date},
    )
    return previous

"""The record of a meeting held: its minutes, who was there and who sent apologies, its
guests, what became of each agenda item (discussed or deferred, and any decision), and
the items not reached carried to the next meeting.

Keyword-only functions; the caller owns the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.audit import record
from models.errors import N_, UserError
from models.meetings import agenda, attendance
from models.tables import (
    AgendaItem,
    Meeting,
    MeetingAttendance,
    MeetingGuest,
    Member,
    Task,
    Trial,
)
from models.types import AgendaStatus, AttendanceKind, MeetingStatus

MINUTES_LIMIT = 12_000  # characters: a long hui's minutes, never refused below this


@dataclass(frozen=True)
class Guest:
    name: str
    organisation: str | None = None


@dataclass(frozen=True)
class ItemOutcome:
    status: AgendaStatus  # discussed or deferred
    decision: str | None = None


@dataclass(frozen=True)
class Minutes:
    """What the lead or chair records of a meeting."""

    text: str
    present: Sequence[Member] = ()
    apologies: Sequence[Member] = ()
    guests: Sequence[Guest] = ()
    outcomes: dict[int, ItemOutcome] = field(default_factory=dict)  # by agenda item id
    file: tuple[str, str] | None = None  # (Slack permalink, file name): minutes of record


def record_minutes(
    *, session: Session, meeting: Meeting, minutes: Minutes, actor_user_id: str, add: bool = False
) -> list[AgendaItem]:
    """Mark the meeting held with its record (replacing any earlier one, or with `add`
    adding to it); returns the items carried over to the next meeting."""
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise UserError(N_("M-{meeting} was cancelled, so it has no minutes."), meeting=meeting.id)
    text = minutes.text
    if add and meeting.minutes:
        text = f"{meeting.minutes}\n\n{minutes.text}".strip()
    if len(text) > MINUTES_LIMIT:
        raise UserError(
            N_(
                "Together the minutes would be {count:,} characters; the limit is "
                "{minutes_limit:,}. Attach the full minutes as a document in the form "
                "instead."
            ),
            count=len(text),
            minutes_limit=MINUTES_LIMIT,
        )
    meeting.status, meeting.minutes = MeetingStatus.HELD.value, text
    if minutes.file is not None:
        meeting.minutes_file, meeting.minutes_file_name = minutes.file
    session.add(meeting)
    _keep_attendance(session, meeting, minutes, add=add)
    for item in agenda(session=session, meeting=meeting):
        outcome = minutes.outcomes.get(item.id or 0)
        if outcome is not None:
            item.status = outcome.status.value
            item.decision = outcome.decision or item.decision
        elif item.status == AgendaStatus.PROPOSED.value:
            item.status = AgendaStatus.DISCUSSED.value
        session.add(item)
    session.flush()
    carried = carry_over(session=session, meeting=meeting)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="meeting.minutes.added" if add else "meeting.minutes",
        entity="meeting",
        entity_id=meeting.id,
        trial_id=meeting.trial_id,
        detail={
            "present": sorted(m.slack_user_id for m in minutes.present),
            "apologies": sorted(m.slack_user_id for m in minutes.apologies),
            "guests": [g.name for g in minutes.guests],
            "carried": [i.id for i in carried],
        },
    )
    return carried


def _keep_attendance(session: Session, meeting: Meeting, minutes: Minutes, *, add: bool) -> None:
    existing = {
        row.member_id: row
        for row in session.exec(
            select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)
        ).all()
    }
    if not add:
        for row in existing.values():
            session.delete(row)
        for earlier in session.exec(
            select(MeetingGuest).where(MeetingGuest.meeting_id == meeting.id)
        ).all():
            session.delete(earlier)
        session.flush()
        existing = {}
    present = {m.id: m for m in minutes.present}
    rows = [(m, AttendanceKind.PRESENT) for m in present.values()]
    rows += [(m, AttendanceKind.APOLOGY) for m in minutes.apologies if m.id not in present]
    for member, kind in rows:
        kept = existing.get(member.id or 0)
        if kept is None:
            session.add(
                MeetingAttendance(meeting_id=meeting.id, member_id=member.id, kind=kind.value)  # type: ignore[arg-type]
            )
        elif kind is AttendanceKind.PRESENT:
            kept.kind = kind.value
            session.add(kept)
    for guest in minutes.guests:
        session.add(
            MeetingGuest(meeting_id=meeting.id, name=guest.name, organisation=guest.organisation)  # type: ignore[arg-type]
        )
    session.flush()


def record_held(
    *,
    session: Session,
    trial: Trial,
    starts_at: datetime,
    place: str | None,
    minutes: Minutes,
    actor_user_id: str,
) -> Meeting:
    """A meeting that was never scheduled, recorded as held in one step."""
    meeting = Meeting(
        trial_id=trial.id,  # type: ignore[arg-type]
        starts_at=starts_at,
        place=place,
        created_by=actor_user_id,
        status=MeetingStatus.HELD.value,
    )
    session.add(meeting)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="meeting.recorded",
        entity="meeting",
        entity_id=meeting.id,
        trial_id=trial.id,
        detail={"starts_at": starts_at, "place": place},
    )
    record_minutes(session=session, meeting=meeting, minutes=minutes, actor_user_id=actor_user_id)
    return meeting


def _next_scheduled(session: Session, trial_id: int, after: datetime) -> Meeting | None:
    return session.exec(
        select(Meeting)
        .where(
            Meeting.trial_id == trial_id,
            Meeting.status == MeetingStatus.SCHEDULED.value,
            col(Meeting.starts_at) > after,
        )
        .order_by(col(Meeting.starts_at))
        .limit(1)
    ).first()


def _append(session: Session, items: Sequence[AgendaItem], to: Meeting) -> list[AgendaItem]:
    last = session.exec(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == to.id)
    ).one()
    moved = []
    for offset, item in enumerate(items, start=1):
        item.carried_from_id = item.carried_from_id or item.meeting_id
        item.meeting_id, item.position = to.id, (last or 0) + offset  # type: ignore[assignment]
        item.status = AgendaStatus.PROPOSED.value
        session.add(item)
        moved.append(item)
    session.flush()
    return moved


def carry_over(*, session: Session, meeting: Meeting) -> list[AgendaItem]:
    """The held meeting's deferred items go to the trial's next scheduled meeting; with
    none scheduled yet they wait (and `join_waiting` brings them to the next one)."""
    deferred = [
        i for i in agenda(session=session, meeting=meeting) if i.status == AgendaStatus.DEFERRED
    ]
    upcoming = _next_scheduled(session, meeting.trial_id, meeting.starts_at)
    if not deferred or upcoming is None:
        return []
    return _append(session, deferred, upcoming)


def join_waiting(*, session: Session, meeting: Meeting) -> list[AgendaItem]:
    """A newly scheduled meeting takes the items deferred at meetings held before it."""
    waiting = session.exec(
        select(AgendaItem)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(
            Meeting.trial_id == meeting.trial_id,
            Meeting.status == MeetingStatus.HELD.value,
            col(Meeting.starts_at) < meeting.starts_at,
            AgendaItem.status == AgendaStatus.DEFERRED.value,
        )
        .order_by(col(Meeting.starts_at), col(AgendaItem.position))
    ).all()
    return _append(session, list(waiting), meeting) if waiting else []


def decide(
    *, session: Session, item: AgendaItem, meeting: Meeting, decision: str, actor_user_id: str
) -> str | None:
    """Record the decision on an agenda item; the previous one, if any."""
    previous = item.decision
    item.decision = decision
    session.add(item)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="agenda.decided",
        entity="agenda_item",
        entity_id=item.id,
        trial_id=meeting.trial_id,
        detail={"from": previous, "to": decision},
    )
    return previous


@dataclass(frozen=True)
class Decision:
    item: AgendaItem
    meeting: Meeting
    tasks: list[int]  # the tasks made from its agenda item


def decisions(*, session: Session, trial: Trial, limit: int = 30) -> list[Decision]:
    """The trial's decisions, newest meeting first, each with the tasks made from it."""
    rows = session.exec(
        select(AgendaItem, Meeting)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(Meeting.trial_id == trial.id, col(AgendaItem.decision).is_not(None))
        .order_by(col(Meeting.starts_at).desc(), col(AgendaItem.position))
        .limit(limit)
    ).all()
    made: dict[int, list[int]] = {}
    ids = [item.id for item, _ in rows]
    if ids:
        for task_id, item_id in session.exec(
            select(Task.id, Task.source_agenda_item_id).where(
                col(Task.source_agenda_item_id).in_(ids)
            )
        ).all():
            made.setdefault(item_id or 0, []).append(task_id or 0)
    return [Decision(item, meeting, sorted(made.get(item.id or 0, []))) for item, meeting in rows]


def apologies(*, session: Session, meeting: Meeting) -> list[Member]:
    return attendance(session=session, meeting=meeting, kind=AttendanceKind.APOLOGY)


def guests(*, session: Session, meeting: Meeting) -> list[MeetingGuest]:
    return list(
        session.exec(
            select(MeetingGuest)
            .where(MeetingGuest.meeting_id == meeting.id)
            .order_by(col(MeetingGuest.id))
        ).all()
    )

"""Meetings (`M-5`), their agendas (`A-7`), minutes and attendance.

Keyword-only functions; the caller owns the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.audit import record
from models.errors import N_, NotFound, UserError
from models.tables import AgendaItem, Meeting, MeetingAttendance, Member, Trial
from models.types import AttendanceKind, MeetingStatus, Sector


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    agenda_size: int

    @property
    def reference(self) -> str:
        return f"M-{self.meeting.id}"


def get_meeting(*, session: Session, number: int, lock: bool = False) -> Meeting:
    meeting = session.get(Meeting, number, with_for_update=lock)
    if meeting is None:
        raise NotFound(N_("There is no meeting M-{number}."), kind="meeting", number=number)
    return meeting


def get_item(*, session: Session, number: int) -> tuple[AgendaItem, Meeting]:
    item = session.get(AgendaItem, number)
    if item is None:
        raise NotFound(N_("There is no agenda item A-{number}."), kind="agenda item", number=number)
    meeting = session.get(Meeting, item.meeting_id)
    assert meeting is not None  # a foreign key guarantees it
    return item, meeting


def schedule(
    *, session: Session, trial: Trial, starts_at: datetime, place: str | None, actor_user_id: str
) -> Meeting:
    assert trial.id is not None
    meeting = Meeting(
        trial_id=trial.id,
        starts_at=starts_at,
        place=place,
        created_by=actor_user_id,
    )
    session.add(meeting)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="meeting.scheduled",
        entity="meeting",
        entity_id=meeting.id,
        trial_id=trial.id,
        detail={"starts_at": starts_at, "place": place},
    )
    return meeting


def upcoming(*, session: Session, trial: Trial, now: datetime, limit: int = 20) -> list[MeetingRow]:
    """Scheduled meetings from now on, soonest first, with their agenda sizes."""
    sizes = (
        select(AgendaItem.meeting_id, func.count().label("size"))
        .group_by(col(AgendaItem.meeting_id))
        .subquery()
    )
    rows = session.exec(
        select(Meeting, func.coalesce(sizes.c.size, 0))
        .outerjoin(sizes, sizes.c.meeting_id == Meeting.id)
        .where(
            Meeting.trial_id == trial.id,
            Meeting.status == MeetingStatus.SCHEDULED.value,
            col(Meeting.starts_at) >= now,
        )
        .order_by(col(Meeting.starts_at))
        .limit(limit)
    ).all()
    return [MeetingRow(meeting, int(size)) for meeting, size in rows]


def next_meeting(*, session: Session, trial: Trial, now: datetime) -> Meeting | None:
    found = upcoming(session=session, trial=trial, now=now, limit=1)
    return found[0].meeting if found else None


def cancel(*, session: Session, meeting: Meeting, actor_user_id: str) -> bool:
    """Cancel a scheduled meeting; False if it already was."""
    if meeting.status == MeetingStatus.CANCELLED.value:
        return False
    if meeting.status == MeetingStatus.HELD.value:
        raise UserError(
            N_("M-{meeting} has been held; its minutes are on record."), meeting=meeting.id
        )
    meeting.status = MeetingStatus.CANCELLED.value
    session.add(meeting)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="meeting.cancelled",
        entity="meeting",
        entity_id=meeting.id,
        trial_id=meeting.trial_id,
    )
    return True


def attendance(
    *, session: Session, meeting: Meeting, kind: AttendanceKind = AttendanceKind.PRESENT
) -> list[Member]:
    """Who was present (or, with `kind`, who sent apologies), by sector."""
    return list(
        session.exec(
            select(Member)
            .join(MeetingAttendance, col(MeetingAttendance.member_id) == Member.id)
            .where(MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.kind == kind.value)
            .order_by(col(Member.sector), col(Member.id))
        ).all()
    )


def sectors_absent(present: Sequence[Member]) -> list[str]:
    """The sectors nobody at the meeting represented."""
    there = {m.sector for m in present}
    return [s.value for s in Sector if s.value not in there]


# ----- the agenda -----------------------------------------------------------------------


def agenda(*, session: Session, meeting: Meeting) -> list[AgendaItem]:
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all()
    )


def add_item(*, session: Session, meeting: Meeting, title: str, actor_user_id: str) -> AgendaItem:
    if meeting.status != MeetingStatus.SCHEDULED.value:
        raise UserError(
            N_("M-{meeting} is {status}; add items to a scheduled meeting."),
            meeting=meeting.id,
            status=meeting.status,
        )
    last = session.exec(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    ).one()
    assert meeting.id is not None
    item = AgendaItem(
        meeting_id=meeting.id,
        title=title,  # type: ignore[arg-type]
        proposer_user_id=actor_user_id,
        position=(last or 0) + 1,
    )
    session.add(item)
    session.flush()
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="agenda.added",
        entity="agenda_item",
        entity_id=item.id,
        trial_id=meeting.trial_id,
        detail={"meeting": meeting.id, "title": title},
    )
    return item


def _renumber(session: Session, items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            session.add(item)


def remove_item(
    *, session: Session, item: AgendaItem, meeting: Meeting, actor_user_id: str
) -> None:
    items = [i for i in agenda(session=session, meeting=meeting) if i.id != item.id]
    session.delete(item)
    session.flush()
    _renumber(session, items)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="agenda.removed",
        entity="agenda_item",
        entity_id=item.id,
        trial_id=meeting.trial_id,
        detail={"title": item.title},
    )


def move_item(
    *, session: Session, item: AgendaItem, meeting: Meeting, position: int, actor_user_id: str
) -> int:
    """Move an item to a position (1 is first); returns how many items there are."""
    items = [i for i in agenda(session=session, meeting=meeting) if i.id != item.id]
    if not 1 <= position <= len(items) + 1:
        raise UserError(
            N_("The agenda of M-{meeting} has {count} items; give a position from 1 to {count}."),
            meeting=meeting.id,
            count=len(items) + 1,
        )
    items.insert(position - 1, item)
    _renumber(session, items)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="agenda.moved",
        entity="agenda_item",
        entity_id=item.id,
        trial_id=meeting.trial_id,
        detail={"position": position},
    )
    return len(items)


@dataclass(frozen=True)
class Origin:
    """Where a task came from: an agenda item of a meeting."""

    item_id: int
    item_title: str
    meeting_id: int
    starts_at: datetime


def origin_of(*, session: Session, item_id: int | None) -> Origin | None:
    if item_id is None:
        return None
    item = session.get(AgendaItem, item_id)
    meeting = session.get(Meeting, item.meeting_id) if item else None
    if item is None or meeting is None:
        return None
    return Origin(item.id, item.title, meeting.id, meeting.starts_at)  # type: ignore[arg-type]


def schedule_series(
    *,
    session: Session,
    trial: Trial,
    starts: list[datetime],
    place: str | None,
    repeat: str,
    actor_user_id: str,
) -> list[Meeting]:
    """A repeating meeting: each occurrence its own M- reference, the first names the series."""
    made: list[Meeting] = []
    for starts_at in starts:
        meeting = Meeting(
            trial_id=trial.id,  # type: ignore[arg-type]
            starts_at=starts_at,
            place=place,
            created_by=actor_user_id,
            repeat=repeat,
            series_id=made[0].id if made else None,
        )
        session.add(meeting)
        session.flush()
        if not made:
            meeting.series_id = meeting.id
            session.add(meeting)
        made.append(meeting)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="meeting.series",
        entity="meeting",
        entity_id=made[0].id,
        trial_id=trial.id,
        detail={"repeat": repeat, "meetings": [m.id for m in made], "place": place},
    )
    return made


def move(
    *, session: Session, meeting: Meeting, starts_at: datetime, actor_user_id: str
) -> datetime:
    """A new date or time for one meeting (of a series, this one alone); the previous."""
    if meeting.status != MeetingStatus.SCHEDULED.value:
        raise UserError(
            N_("M-{meeting} is {status}; only a scheduled meeting moves."),
            meeting=meeting.id,
            status=meeting.status,
        )
    previous = meeting.starts_at
    meeting.starts_at = starts_at
    session.add(meeting)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="meeting.moved",
        entity="meeting",
        entity_id=meeting.id,
        trial_id=meeting.trial_id,
        detail={"from": previous, "to": starts_at},
    )
    return previous

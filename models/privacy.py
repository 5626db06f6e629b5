"""People's own information (New Zealand's Privacy Act 2020): what the bot holds about a
person (IPP 6, access), and forgetting someone who has left (IPP 9, not kept longer than
needed): their Slack ID, names and handle replaced by "a former member" everywhere, the
group's records keeping their content.

Keyword-only functions; the caller owns the session.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from models.audit import record
from models.errors import N_, UserError
from models.tables import (
    AgendaItem,
    AuditLog,
    Deadline,
    Indicator,
    IndicatorValue,
    Meeting,
    MeetingAttendance,
    Member,
    PendingChange,
    PersonSetting,
    ProgrammeItem,
    ProgressUpdate,
    ReminderLedger,
    ReviewDecision,
    Task,
    Trial,
)

FORMER = "former-"  # the start of the stand-in that replaces a forgotten person's Slack ID

# Every column that holds a person's Slack user ID.
USER_COLUMNS = (
    (Member, "slack_user_id"),
    (Meeting, "created_by"),
    (AgendaItem, "proposer_user_id"),
    (Task, "created_by"),
    (ProgressUpdate, "author_user_id"),
    (Deadline, "created_by"),
    (Indicator, "created_by"),
    (IndicatorValue, "recorded_by"),
    (ProgrammeItem, "created_by"),
    (ReviewDecision, "decided_by"),
    (Trial, "handed_over_by"),
    (ReminderLedger, "recipient"),
    (PendingChange, "user_id"),
    (AuditLog, "actor_user_id"),
)


# Rows that are only the person's own choices: deleted when they are forgotten.
DELETED_ON_FORGET = ((PersonSetting, "slack_user_id"),)


def _as_a_whole(user_id: str) -> re.Pattern[str]:
    """The person's Slack ID as a whole value in text (a JSON field, a mention), never as
    the start of another's: `UMEMBER` is not in `UMEMBER2`'s entries."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(user_id)}(?![A-Za-z0-9])")


def _audit_naming(session: Session, user_id: str) -> list[AuditLog]:
    """The audit entries whose actor is the person, or whose details name them whole."""
    whole = _as_a_whole(user_id)
    found = session.exec(
        select(AuditLog).where(
            or_(col(AuditLog.actor_user_id) == user_id, col(AuditLog.detail).contains(user_id))
        )
    ).all()
    return [e for e in found if e.actor_user_id == user_id or whole.search(e.detail or "")]


def is_known(*, session: Session, user_id: str) -> bool:
    """Whether any record holds the person's Slack ID."""
    for model, name in USER_COLUMNS:
        column = getattr(model, name)
        if session.exec(select(column).where(column == user_id).limit(1)).first() is not None:
            return True
    return bool(_audit_naming(session, user_id))


def _rows(session: Session, model: Any, **where: Any) -> list[dict[str, Any]]:
    query = select(model)
    for name, value in where.items():
        column = getattr(model, name)
        query = query.where(col(column).in_(value) if isinstance(value, list) else column == value)
    return [row.model_dump(mode="json") for row in session.exec(query).all()]


def about(*, session: Session, user_id: str) -> dict[str, Any]:
    """Everything held about one person, by kind, as plain values."""
    members = session.exec(select(Member).where(Member.slack_user_id == user_id)).all()
    member_ids = [m.id for m in members]
    trials = {t.id: t.name for t in session.exec(select(Trial)).all()}
    return {
        "slack_user_id": user_id,
        "memberships": [
            {**m.model_dump(mode="json"), "trial": trials.get(m.trial_id)} for m in members
        ],
        "tasks_owned": _rows(session, Task, owner_member_id=member_ids) if member_ids else [],
        "tasks_created": _rows(session, Task, created_by=user_id),
        "updates_written": _rows(session, ProgressUpdate, author_user_id=user_id),
        "agenda_items": _rows(session, AgendaItem, proposer_user_id=user_id),
        "attendance": _rows(session, MeetingAttendance, member_id=member_ids) if member_ids else [],
        "deadlines_responsible": (
            _rows(session, Deadline, responsible_member_id=member_ids) if member_ids else []
        ),
        "settings": _rows(session, PersonSetting, slack_user_id=user_id),
        "programmes_added": _rows(session, ProgrammeItem, created_by=user_id),
        "review_decisions": _rows(session, ReviewDecision, decided_by=user_id),
        "audit_entries": [row.model_dump(mode="json") for row in _audit_naming(session, user_id)],
    }


def forget(*, session: Session, user_id: str, actor_user_id: str) -> int:
    """Replace the person's identity in every record; how many rows changed. Refused while
    they are an active member of any group."""
    active = session.exec(
        select(Member).where(Member.slack_user_id == user_id, col(Member.active).is_(True))
    ).all()
    if active:
        raise UserError(
            N_(
                "They are still an active member of a group, so they can't be forgotten yet. "
                "The lead removes them from the group first."
            )
        )
    stand_in = FORMER + secrets.token_hex(6)
    changed = 0
    for member in session.exec(select(Member).where(Member.slack_user_id == user_id)).all():
        member.handle = member.display_name = member.real_name = None
        session.add(member)
    session.flush()
    for model, name in USER_COLUMNS:
        column = getattr(model, name)
        result = session.execute(update(model).where(column == user_id).values({name: stand_in}))
        changed += int(getattr(result, "rowcount", 0) or 0)
    for own, key in DELETED_ON_FORGET:
        result = session.execute(delete(own).where(getattr(own, key) == user_id))
        changed += int(getattr(result, "rowcount", 0) or 0)
    whole = _as_a_whole(user_id)
    for entry in _audit_naming(session, user_id):  # the actor was replaced above
        if entry.detail and whole.search(entry.detail):
            entry.detail = whole.sub(stand_in, entry.detail)
            session.add(entry)
            changed += 1
    _audit(session, actor_user_id, "person.forgotten", {"rows": changed})
    return changed


def nothing_to_forget(*, session: Session, actor_user_id: str) -> None:
    """Audit that someone asked to forget a person no record holds (naming nobody)."""
    _audit(session, actor_user_id, "person.nothing_to_forget", {})


def _audit(session: Session, actor_user_id: str, action: str, detail: dict[str, Any]) -> None:
    """An audit entry about forgetting someone: its detail never names them."""
    record(
        session=session,
        actor_user_id=actor_user_id,
        action=action,
        entity="person",
        entity_id=None,
        trial_id=None,
        detail=detail,
    )


# The free text people wrote, where a forgotten person's name may still stand.
FREE_TEXT = (
    (Task, "title", "task"),
    (ProgressUpdate, "text", "update"),
    (AgendaItem, "title", "agenda item"),
    (Meeting, "minutes", "minutes"),
)
STAND_IN_NAME = "a former member"


def names_of(*, session: Session, user_id: str) -> list[str]:
    """The names Slack showed for the person (handle, display and real name), longest
    first: what may stand in the text others wrote."""
    found: set[str] = set()
    for member in session.exec(select(Member).where(Member.slack_user_id == user_id)).all():
        found |= {n for n in (member.handle, member.display_name, member.real_name) if n}
    return sorted((n for n in found if len(n) >= 3), key=len, reverse=True)


def _naming(names: list[str]) -> re.Pattern[str]:
    words = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<!\w)@?(?:{words})(?!\w)", re.IGNORECASE)


def _texts_naming(
    session: Session, names: list[str]
) -> Iterator[tuple[Any, str, str, re.Pattern[str]]]:
    """Each row whose free text names the person by any of `names`, with the column, its
    kind and the pattern that found it (the database narrows, the pattern decides)."""
    if not names:
        return
    pattern = _naming(names)
    for model, name, kind in FREE_TEXT:
        column = getattr(model, name)
        near = or_(*(func.lower(column).contains(n.lower()) for n in names))
        for row in session.exec(select(model).where(near)).all():
            if pattern.search(getattr(row, name) or ""):
                yield row, name, kind, pattern


def free_text_naming(*, session: Session, names: list[str]) -> dict[str, int]:
    """How many texts of each kind (task, update, agenda item, minutes) still name the
    person, by any of `names`."""
    return dict(Counter(kind for _row, _name, kind, _pattern in _texts_naming(session, names)))


def replace_in_free_text(*, session: Session, names: list[str], actor_user_id: str) -> int:
    """Put "a former member" where the texts name the person; how many texts changed."""
    changed = 0
    for row, name, _kind, pattern in list(_texts_naming(session, names)):
        setattr(row, name, pattern.sub(STAND_IN_NAME, getattr(row, name)))
        session.add(row)
        changed += 1
    if names:
        _audit(session, actor_user_id, "person.forgotten_in_text", {"texts": changed})
    return changed

"""Column types and the vocabularies (statuses, roles, sectors) of the data model."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back time-zone aware.

    SQLite keeps no zone, so values are normalised to naive UTC on the way in and
    marked UTC on the way out; PostgreSQL gets the same, which keeps both identical.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; give it a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time, UTC-aware."""
    return datetime.now(UTC)


class TrialStatus(StrEnum):
    ACTIVE = "active"
    TRANSITIONING = "transitioning"
    LOCALLY_LED = "locally-led"
    EXITED = "exited"
    CONCLUDED = "concluded"


class ReviewDecisionKind(StrEnum):
    """What the transition review decides for a programme or coordination item."""

    CONTINUE = "continue"  # carried on locally
    INTEGRATE = "integrate"  # folded into an agency's or provider's own work
    EXIT = "exit"


class Language(StrEnum):
    """What a person reads, or a channel is written in."""

    ENGLISH = "english"
    MAORI = "maori"  # te reo Māori
    BILINGUAL = "bilingual"  # te reo first, English beside it


class LeadApproach(StrEnum):
    NGO = "ngo"
    INDIVIDUAL = "individual"


class OutcomeFocus(StrEnum):
    YOUTH = "youth"
    CHILD_YOUTH = "child-youth"
    EDUCATION = "education"
    HEALTH = "health"


class Sector(StrEnum):
    IWI = "iwi"
    COUNCIL = "council"
    AGENCY = "agency"
    COMMUNITY = "community"
    PROVIDER = "provider"


class Role(StrEnum):
    LEAD = "lead"
    CHAIR = "chair"
    MEMBER = "member"


class TaskStatus(StrEnum):
    NOT_STARTED = "not-started"
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    BLOCKED = "blocked"
    DONE = "done"
    DROPPED = "dropped"


class UpdateSource(StrEnum):
    COMMAND = "command"
    CHECKIN = "check-in"
    MODAL = "modal"
    BUTTON = "button"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceKind(StrEnum):
    PRESENT = "present"
    APOLOGY = "apology"


class AgendaStatus(StrEnum):
    PROPOSED = "proposed"
    DISCUSSED = "discussed"
    DEFERRED = "deferred"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    WAIVED = "waived"


class LedgerState(StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    """A CHECK constraint keeping a text column within an enum's values."""
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)

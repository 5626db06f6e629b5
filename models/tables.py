"""The tables of SPEC §2. Times are UTC-aware (`UTCDateTime`); vocabularies are checked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import (
    AgendaStatus,
    AttendanceKind,
    DeadlineStatus,
    Language,
    LeadApproach,
    LedgerState,
    MeetingStatus,
    OutcomeFocus,
    ReviewDecisionKind,
    Role,
    Sector,
    TaskStatus,
    TrialStatus,
    UpdateSource,
    UTCDateTime,
    one_of,
    utcnow,
)

# Named constraints, so later migrations can alter them on SQLite (batch mode) too.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NAME_LENGTH = 80
TITLE_LENGTH = 200
USER_ID_LENGTH = 32


def pk(row: SQLModel) -> int:
    """A stored row's primary key (SQLModel types it as optional until the row is flushed)."""
    value = getattr(row, "id", None)
    if value is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return int(value)


def _created_at() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Trial(SQLModel, table=True):
    """A trial location and the Slack channel of its local advisory group."""

    __table_args__ = (
        one_of("status", TrialStatus),
        one_of("language", Language),
        one_of("lead_approach", LeadApproach),
        one_of("outcome_focus", OutcomeFocus),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=NAME_LENGTH, unique=True)
    # Case- and macron-folded name ("ranui" for "Rānui"), so near-duplicates can't coexist.
    name_key: str = Field(max_length=NAME_LENGTH, unique=True)
    region: str | None = Field(default=None, max_length=NAME_LENGTH)
    lead_approach: str | None = Field(default=None, max_length=16)
    lead_organisation: str | None = Field(default=None, max_length=TITLE_LENGTH)
    outcome_focus: str | None = Field(default=None, max_length=16)
    target_ages: str | None = Field(default=None, max_length=16)
    start_date: date | None = None
    end_date: date | None = None
    status: str = Field(default=TrialStatus.ACTIVE.value, max_length=16)
    channel_id: str | None = Field(default=None, max_length=USER_ID_LENGTH, unique=True)
    # The channel's canvas the bot keeps: its id, a digest of each section as published
    # (so only what changed is edited), and a refusal the lead has been told of.
    canvas_id: str | None = Field(default=None, max_length=USER_ID_LENGTH)
    canvas_sections: str | None = Field(default=None, sa_column=Column(Text))
    canvas_problem: str | None = Field(default=None, max_length=64)
    # The transition review's own deadline, D-n (made when the trial becomes transitioning).
    # No foreign key: deadlines already point at their trial, and deadlines are never deleted.
    review_deadline_id: int | None = None
    # Once its archive is handed over the trial is read-only, until the Director reopens it.
    handed_over_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    handed_over_by: str | None = Field(default=None, max_length=USER_ID_LENGTH)
    # What the bot posts in the channel and writes on its canvas in (English if unset).
    language: str | None = Field(default=None, max_length=16)
    created_at: datetime = _created_at()


class Member(SQLModel, table=True):
    """A person's place in one trial's advisory group. Removal deactivates; history stays."""

    __table_args__ = (
        UniqueConstraint("trial_id", "slack_user_id", name="uq_member_trial_user"),
        one_of("sector", Sector),
        one_of("role", Role),
        Index("ix_member_trial_active", "trial_id", "active"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trial_id: int = Field(foreign_key="trial.id", ondelete="CASCADE")
    slack_user_id: str = Field(max_length=USER_ID_LENGTH, index=True)
    # Names as Slack last told us, for matching a plain "@name".
    handle: str | None = Field(default=None, max_length=NAME_LENGTH)
    display_name: str | None = Field(default=None, max_length=NAME_LENGTH)
    real_name: str | None = Field(default=None, max_length=NAME_LENGTH)
    sector: str = Field(max_length=16)
    organisation: str | None = Field(default=None, max_length=TITLE_LENGTH)
    role: str = Field(default=Role.MEMBER.value, max_length=16)
    active: bool = True
    away_until: date | None = None
    # Why Slack refuses to reach this person (e.g. "account_inactive"), once it has; their
    # reminders then go to the lead instead of being tried again.
    unreachable: str | None = Field(default=None, max_length=40)
    joined_at: datetime = _created_at()
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Outcome(SQLModel, table=True):
    """An Action Plan outcome of a trial, e.g. "Reduce truancy"."""

    __table_args__ = (UniqueConstraint("trial_id", "name_key", name="uq_outcome_trial_name"),)

    id: int | None = Field(default=None, primary_key=True)
    trial_id: int = Field(foreign_key="trial.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=TITLE_LENGTH)
    name_key: str = Field(max_length=TITLE_LENGTH)
    created_at: datetime = _created_at()


class Meeting(SQLModel, table=True):
    """A meeting (hui) of an advisory group: `M-5`."""

    __table_args__ = (
        one_of("status", MeetingStatus),
        Index("ix_meeting_trial_start", "trial_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trial_id: int = Field(foreign_key="trial.id", ondelete="CASCADE")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    place: str | None = Field(default=None, max_length=TITLE_LENGTH)
    status: str = Field(default=MeetingStatus.SCHEDULED.value, max_length=16)
    minutes: str | None = Field(default=None, sa_column=Column(Text))
    # A document kept as the minutes of record (Slack's file permalink) and its name.
    minutes_file: str | None = Field(default=None, max_length=500)
    minutes_file_name: str | None = Field(default=None, max_length=TITLE_LENGTH)
    # A repeating meeting: the first of its series, and how it repeats.
    series_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    repeat: str | None = Field(default=None, max_length=16)
    created_by: str = Field(max_length=USER_ID_LENGTH)
    created_at: datetime = _created_at()


class MeetingAttendance(SQLModel, table=True):
    """Who attended a held meeting, or sent apologies."""

    __table_args__ = (one_of("kind", AttendanceKind),)

    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE", primary_key=True)
    kind: str = Field(default=AttendanceKind.PRESENT.value, max_length=16)


class MeetingGuest(SQLModel, table=True):
    """Someone at the table who is not a member: a guest, with their organisation."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    organisation: str | None = Field(default=None, max_length=TITLE_LENGTH)


class AgendaItem(SQLModel, table=True):
    """An item on a meeting's agenda: `A-7`."""

    __table_args__ = (
        one_of("status", AgendaStatus),
        Index("ix_agenda_item_meeting_position", "meeting_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE")
    title: str = Field(max_length=TITLE_LENGTH)
    proposer_user_id: str = Field(max_length=USER_ID_LENGTH)
    position: int
    status: str = Field(default=AgendaStatus.PROPOSED.value, max_length=16)
    decision: str | None = Field(default=None, sa_column=Column(Text))
    # Not reached at an earlier meeting, and brought to this one.
    carried_from_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    created_at: datetime = _created_at()


class ProgrammeItem(SQLModel, table=True):
    """A programme or service the trial funds (`P-4`): a truancy officer, a youth hub; or a
    coordination item, the trial's own roles and structures (the lead's role, staff)."""

    __table_args__ = (
        CheckConstraint("funding_cents >= 0", name="funding"),
        Index("ix_programme_item_trial_until", "trial_id", "until_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trial_id: int = Field(foreign_key="trial.id", ondelete="CASCADE")
    name: str = Field(max_length=TITLE_LENGTH)
    provider: str | None = Field(default=None, max_length=TITLE_LENGTH)
    # New Zealand dollars, in cents.
    funding_cents: int | None = Field(default=None, sa_type=BigInteger)
    from_date: date | None = None
    until_date: date | None = None  # when its contract ends
    outcome_id: int | None = Field(default=None, foreign_key="outcome.id", ondelete="SET NULL")
    coordination: bool = False
    ended_on: date | None = None  # ended early, or when the contract ran out
    created_by: str = Field(max_length=USER_ID_LENGTH)
    created_at: datetime = _created_at()


class ReviewDecision(SQLModel, table=True):
    """The transition review's decision on one programme or coordination item."""

    __table_args__ = (one_of("decision", ReviewDecisionKind),)

    programme_item_id: int = Field(
        foreign_key="programmeitem.id", ondelete="CASCADE", primary_key=True
    )
    decision: str = Field(max_length=16)
    carried_by: str | None = Field(default=None, max_length=TITLE_LENGTH)
    note: str | None = Field(default=None, sa_column=Column(Text))
    decided_by: str = Field(max_length=USER_ID_LENGTH)
    decided_at: datetime = _created_at()


class Task(SQLModel, table=True):
    """An action of a trial's Action Plan: `T-12`."""

    __table_args__ = (
        one_of("status", TaskStatus),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        Index("ix_task_trial_status", "trial_id", "status"),
        Index("ix_task_owner_status", "owner_member_id", "status"),
        Index("ix_task_due_date", "due_date"),
        # Covers the summaries' one pass over a trial's tasks (no table lookups).
        Index(
            "ix_task_summary",
            "trial_id",
            "outcome_id",
            "status",
            "due_date",
            "updated_at",
            "completed_at",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    trial_id: int = Field(foreign_key="trial.id", ondelete="CASCADE")
    outcome_id: int | None = Field(default=None, foreign_key="outcome.id", ondelete="SET NULL")
    title: str = Field(max_length=TITLE_LENGTH)
    owner_member_id: int = Field(foreign_key="member.id")
    due_date: date | None = None
    status: str = Field(default=TaskStatus.NOT_STARTED.value, max_length=16)
    percent: int = Field(default=0, ge=0, le=100)
    source_agenda_item_id: int | None = Field(
        default=None, foreign_key="agendaitem.id", ondelete="SET NULL"
    )
    programme_item_id: int | None = Field(
        default=None, foreign_key="programmeitem.id", ondelete="SET NULL"
    )
    created_by: str = Field(max_length=USER_ID_LENGTH)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProgressUpdate(SQLModel, table=True):
    """A progress note on a task, with the task's status and percent at that time."""

    __table_args__ = (
        one_of("status", TaskStatus),
        one_of("source", UpdateSource),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        Index("ix_progress_update_task_created", "task_id", "created_at"),
        Index("ix_progress_update_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    author_user_id: str = Field(max_length=USER_ID_LENGTH)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=16)
    percent: int = Field(ge=0, le=100)
    source: str = Field(default=UpdateSource.COMMAND.value, max_length=16)
    created_at: datetime = _created_at()


class Deadline(SQLModel, table=True):
    """A reporting deadline of a trial: `D-3`. National ones share a `national_key`."""

    __table_args__ = (
        one_of("status", DeadlineStatus),
        Index("ix_deadline_trial_due", "trial_id", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    trial_id: int = Field(foreign_key="trial.id", ondelete="CASCADE")
    title: str = Field(max_length=TITLE_LENGTH)
    due_date: date
    responsible_member_id: int | None = Field(
        default=None, foreign_key="member.id", ondelete="SET NULL"
    )
    status: str = Field(default=DeadlineStatus.OPEN.value, max_length=16)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_link: str | None = Field(default=None, max_length=500)
    # Days before the due date, e.g. "14,7,3,1,0"; None means the programme default.
    reminder_offsets: str | None = Field(default=None, max_length=64)
    national_key: str | None = Field(default=None, max_length=36, index=True)
    # A lead's "Snooze 1 day": a reminder comes again on the first working day from then.
    snoozed_until: date | None = None
    created_by: str = Field(max_length=USER_ID_LENGTH)
    created_at: datetime = _created_at()


class Indicator(SQLModel, table=True):
    """A measure of an outcome: `I-4`, e.g. "Persistent truancy cases closed" in %."""

    id: int | None = Field(default=None, primary_key=True)
    outcome_id: int = Field(foreign_key="outcome.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=TITLE_LENGTH)
    unit: str | None = Field(default=None, max_length=16)
    baseline_value: float | None = None
    baseline_period: str | None = Field(default=None, max_length=32)
    target_value: float | None = None
    created_by: str = Field(max_length=USER_ID_LENGTH)
    created_at: datetime = _created_at()


class IndicatorValue(SQLModel, table=True):
    """One dated value of an indicator and where it came from."""

    __table_args__ = (UniqueConstraint("indicator_id", "period", name="uq_indicator_value_period"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", ondelete="CASCADE")
    period: str = Field(max_length=32)
    value: float
    source: str | None = Field(default=None, max_length=TITLE_LENGTH)
    recorded_by: str = Field(max_length=USER_ID_LENGTH)
    recorded_at: datetime = _created_at()


class ReminderLedger(SQLModel, table=True):
    """One row per reminder that fell due, so each is sent once across restarts and processes."""

    __table_args__ = (
        UniqueConstraint("kind", "target", "slot", name="uq_reminder_ledger_key"),
        one_of("state", LedgerState),
        Index("ix_reminder_ledger_state", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    target: str = Field(max_length=32)
    slot: str = Field(max_length=32)
    recipient: str | None = Field(default=None, max_length=USER_ID_LENGTH)
    state: str = Field(default=LedgerState.CLAIMED.value, max_length=16)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime = _created_at()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)


class PersonSetting(SQLModel, table=True):
    """A person's own choices, whichever groups they are in: the language they read."""

    __table_args__ = (one_of("language", Language),)

    slack_user_id: str = Field(primary_key=True, max_length=USER_ID_LENGTH)
    language: str = Field(default=Language.ENGLISH.value, max_length=16)
    updated_at: datetime = _created_at()


class PendingChange(SQLModel, table=True):
    """A change someone asked for that waits for their click (*Replace*, *Move it here*):
    what it would do, kept until they confirm or cancel."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_LENGTH)
    kind: str = Field(max_length=32)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _created_at()


class AuditLog(SQLModel, table=True):
    """Who changed what, and when."""

    __table_args__ = (Index("ix_audit_log_trial_at", "trial_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _created_at()
    actor_user_id: str = Field(max_length=USER_ID_LENGTH)
    trial_id: int | None = Field(default=None, foreign_key="trial.id", ondelete="SET NULL")
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    detail: str | None = Field(default=None, sa_column=Column(Text))


class SlackEventReceipt(SQLModel, table=True):
    """An Events API delivery already handled, so Slack's retries take effect once; or a
    change taken from the inbox already made (`command:<id>`), so it is made once."""

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = _created_at()


class ReceivedCommand(SQLModel, table=True):
    """A slash command that changes records, kept from before its ack until it has been
    made and answered (`models.inbox`): Slack's form fields, as JSON. The instance that
    holds it makes it; once `leased_until` has passed, any instance may take it."""

    id: str = Field(primary_key=True, max_length=32)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    holder: str = Field(default="", max_length=64)
    leased_until: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class SeenSignature(SQLModel, table=True):
    """A signed request accepted in the last five minutes (Slack's window for a timestamp):
    the same signature again is a replay, whichever instance it reaches (`models.inbox`)."""

    signature: str = Field(primary_key=True, max_length=80)
    seen_at: datetime = Field(sa_type=UTCDateTime, index=True)


class DuePass(SQLModel, table=True):
    """A pass many changes ask for and one run answers (a channel's canvas rewritten),
    shared by every instance (`models.passes`)."""

    key: str = Field(primary_key=True, max_length=120)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    holder: str = Field(default="", max_length=64)
    leased_until: datetime = Field(sa_type=UTCDateTime)
    again: bool = False

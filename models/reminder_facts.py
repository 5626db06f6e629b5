"""What the reminder rules are told about the programme, and the reminders they give back:
plain values, read from the database by `models.reminders` and decided on by
`scheduler.rules`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

DEADLINE_OFFSETS = (14, 7, 3, 1, 0)
CONTRACT_OFFSETS = (60, 30, 14)  # days before a programme's contract ends


@dataclass(frozen=True)
class Person:
    user_id: str
    member_id: int
    away_until: date | None = None

    def away_on(self, day: date) -> bool:
        return self.away_until is not None and day <= self.away_until


@dataclass(frozen=True)
class TrialFacts:
    id: int
    name: str
    region: str | None
    channel_id: str | None
    leads: tuple[Person, ...] = ()


@dataclass(frozen=True)
class DeadlineFacts:
    id: int
    trial_id: int
    title: str
    due_date: date
    responsible: Person | None
    offsets: tuple[int, ...] = DEADLINE_OFFSETS
    snoozed_until: date | None = None
    made_at: datetime | None = None  # when the deadline was added


@dataclass(frozen=True)
class TaskFacts:
    id: int
    trial_id: int
    title: str
    due_date: date
    owner: Person
    made_at: datetime | None = None


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    trial_id: int
    starts_at: datetime
    made_at: datetime | None = None


@dataclass(frozen=True)
class ProgrammeFacts:
    """A programme whose contract ends, for the lead's reminders before it does."""

    id: int
    trial_id: int
    until_date: date
    made_at: datetime | None = None


@dataclass(frozen=True)
class CheckinFacts:
    """A member with open tasks, for the weekly check-in."""

    trial_id: int
    person: Person


@dataclass(frozen=True)
class Facts:
    trials: dict[int, TrialFacts]
    deadlines: list[DeadlineFacts] = field(default_factory=list)
    tasks: list[TaskFacts] = field(default_factory=list)
    meetings: list[MeetingFacts] = field(default_factory=list)
    checkins: list[CheckinFacts] = field(default_factory=list)
    programmes: list[ProgrammeFacts] = field(default_factory=list)


@dataclass(frozen=True)
class Reminder:
    kind: str  # deadline, escalation, task, agenda-call, agenda, check-in, digest, contract
    target: str  # D-3, T-12, M-5, member-7, P-4
    slot: str  # the local day it is sent (ISO), or a fixed name for one-off reminders
    send_at: datetime
    trial_id: int  # 0 for the national digest
    subject_id: int
    recipient: str | None  # a Slack user ID (direct message) or channel ID
    on_behalf_of: str | None = None  # the away member this reminder would have gone to

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.target, self.slot)

"""What the reminder rules need from the database, and the reminder ledger.

The ledger has one row per reminder that fell due, keyed by (kind, target, slot). A
sweep claims a row before sending (an atomic insert, or a compare-and-set on a row that
failed or whose claim went stale), marks it sent only after Slack accepted the message,
and marks it failed otherwise, for the next sweep to retry. Each claim is its own short
transaction: nothing is held open while a message is on its way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models.db import Database
from models.languages import of_people
from models.reminder_facts import (
    CONTRACT_OFFSETS,
    DEADLINE_OFFSETS,
    CheckinFacts,
    DeadlineFacts,
    Facts,
    MeetingFacts,
    Person,
    ProgrammeFacts,
    Reminder,
    TaskFacts,
    TrialFacts,
)
from models.tables import (
    AgendaItem,
    Deadline,
    Meeting,
    Member,
    ProgrammeItem,
    ReminderLedger,
    Task,
    Trial,
    pk,
)
from models.tasks import OPEN_STATUSES, TaskRow, task_rows_query
from models.types import DeadlineStatus, Language, LedgerState, MeetingStatus, Role, TrialStatus

REMINDED_STATUSES = (
    TrialStatus.ACTIVE.value,
    TrialStatus.TRANSITIONING.value,
    TrialStatus.LOCALLY_LED.value,
)
# A claim older than this is taken to belong to a process that died mid-send.
CLAIM_LEASE = timedelta(minutes=10)
Key = tuple[str, str, str]


def parse_offsets(text: str | None) -> tuple[int, ...]:
    if not text:
        return DEADLINE_OFFSETS
    return tuple(int(part) for part in text.split(",") if part.strip())


def _person(member: Member | None) -> Person | None:
    if member is None or not member.active:
        return None
    return Person(member.slack_user_id, member.id, member.away_until)  # type: ignore[arg-type]


def load_facts(*, session: Session, today: date) -> Facts:
    """Everything the rules need, in seven queries whatever the size of the programme."""
    trials = session.exec(
        select(Trial).where(
            col(Trial.status).in_(REMINDED_STATUSES), col(Trial.handed_over_at).is_(None)
        )
    ).all()
    trial_ids = [t.id for t in trials]
    leads: dict[int, list[Person]] = defaultdict(list)
    for member in session.exec(
        select(Member)
        .where(
            col(Member.trial_id).in_(trial_ids),
            col(Member.active).is_(True),
            Member.role == Role.LEAD.value,
        )
        .order_by(col(Member.id))
    ).all():
        person = _person(member)
        if person is not None:
            leads[member.trial_id].append(person)
    facts_trials = {
        pk(t): TrialFacts(pk(t), t.name, t.region, t.channel_id, tuple(leads[pk(t)]))
        for t in trials
    }
    deadlines = [
        DeadlineFacts(
            pk(d),
            d.trial_id,
            d.title,
            d.due_date,
            _person(m),  # type: ignore[arg-type]
            parse_offsets(d.reminder_offsets),
            d.snoozed_until,
            d.created_at,
        )
        for d, m in session.exec(
            select(Deadline, Member)
            .outerjoin(Member, col(Member.id) == Deadline.responsible_member_id)
            .where(
                col(Deadline.trial_id).in_(trial_ids), Deadline.status == DeadlineStatus.OPEN.value
            )
        ).all()
    ]
    task_rows = session.exec(
        select(Task, Member)
        .join(Member, col(Member.id) == Task.owner_member_id)
        .where(
            col(Task.trial_id).in_(trial_ids),
            col(Task.status).in_(OPEN_STATUSES),
            col(Member.active).is_(True),
        )
    ).all()
    tasks = [
        TaskFacts(t.id, t.trial_id, t.title, t.due_date, _person(m), t.created_at)  # type: ignore[arg-type]
        for t, m in task_rows
        if t.due_date is not None and t.due_date <= today + timedelta(days=5)
    ]
    checkins = {
        (m.trial_id, m.id): CheckinFacts(m.trial_id, _person(m))  # type: ignore[arg-type]
        for _, m in task_rows
    }
    meetings = [
        MeetingFacts(m.id, m.trial_id, m.starts_at, m.created_at)  # type: ignore[arg-type]
        for m in session.exec(
            select(Meeting).where(
                col(Meeting.trial_id).in_(trial_ids),
                Meeting.status == MeetingStatus.SCHEDULED.value,
                col(Meeting.starts_at) >= datetime.combine(today - timedelta(days=1), time(0), UTC),
                col(Meeting.starts_at)
                <= datetime.combine(today + timedelta(days=21), time(0), UTC),
            )
        ).all()
    ]
    contracts = [
        ProgrammeFacts(pk(p), p.trial_id, p.until_date, p.created_at)  # type: ignore[arg-type]
        for p in session.exec(
            select(ProgrammeItem).where(
                col(ProgrammeItem.trial_id).in_(trial_ids),
                col(ProgrammeItem.ended_on).is_(None),
                col(ProgrammeItem.until_date) >= today - timedelta(days=1),
                col(ProgrammeItem.until_date) <= today + timedelta(days=max(CONTRACT_OFFSETS) + 7),
            )
        ).all()
    ]
    return Facts(
        trials=facts_trials,
        deadlines=deadlines,
        tasks=tasks,
        meetings=meetings,
        checkins=list(checkins.values()),
        programmes=contracts,
    )


# ----- the ledger -----------------------------------------------------------------------


def ledger_states(*, session: Session, keys: Iterable[Key]) -> dict[Key, ReminderLedger]:
    """The ledger rows of these reminders, by key (one query)."""
    wanted = list(keys)
    found: dict[Key, ReminderLedger] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.exec(
            select(ReminderLedger).where(
                tuple_(
                    col(ReminderLedger.kind), col(ReminderLedger.target), col(ReminderLedger.slot)
                ).in_(chunk)
            )
        ).all()
        found.update({(r.kind, r.target, r.slot): r for r in rows})
    return found


def _insert_new(session: Session, reminder: Reminder, **values: object) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the new row's id, or None if the
    reminder already has a row (an atomic test-and-set on SQLite and PostgreSQL alike)."""
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    new_id = session.execute(
        insert(ReminderLedger)
        .values(
            kind=reminder.kind,
            target=reminder.target,
            slot=reminder.slot,
            recipient=reminder.recipient,
            **values,
        )
        .on_conflict_do_nothing(index_elements=["kind", "target", "slot"])
        .returning(col(ReminderLedger.id))
    ).scalar_one_or_none()
    return None if new_id is None else int(new_id)


def claim(*, database: Database, reminder: Reminder, me: str, now: datetime) -> int | None:
    """Take a due reminder for sending; its ledger id, or None if it is someone else's or
    already done."""
    with database.session() as session:
        inserted = _insert_new(
            session,
            reminder,
            state=LedgerState.CLAIMED.value,
            attempts=1,
            claimed_by=me,
            claimed_at=now,
        )
        if inserted is not None:
            return inserted
        # Someone has it: take it over only if it failed, or its claim went stale.
        retaken = session.execute(
            update(ReminderLedger)
            .where(
                col(ReminderLedger.kind) == reminder.kind,
                col(ReminderLedger.target) == reminder.target,
                col(ReminderLedger.slot) == reminder.slot,
                or_(
                    col(ReminderLedger.state) == LedgerState.FAILED.value,
                    and_(
                        col(ReminderLedger.state) == LedgerState.CLAIMED.value,
                        col(ReminderLedger.claimed_at) < now - CLAIM_LEASE,
                    ),
                ),
            )
            .values(
                state=LedgerState.CLAIMED.value,
                claimed_by=me,
                claimed_at=now,
                attempts=ReminderLedger.attempts + 1,
                recipient=reminder.recipient,
            )
            .returning(col(ReminderLedger.id))
        ).scalar_one_or_none()
        return int(retaken) if retaken is not None else None


def _finish(database: Database, ledger_id: int, me: str, **values: object) -> bool:
    with database.session() as session:
        done = session.execute(
            update(ReminderLedger)
            .where(
                col(ReminderLedger.id) == ledger_id,
                col(ReminderLedger.claimed_by) == me,
                col(ReminderLedger.state) == LedgerState.CLAIMED.value,
            )
            .values(**values)
        )
        return done.rowcount == 1  # type: ignore[attr-defined]


def mark_sent(*, database: Database, ledger_id: int, me: str, now: datetime) -> bool:
    return _finish(
        database, ledger_id, me, state=LedgerState.SENT.value, sent_at=now, last_error=None
    )


def mark_obsolete(*, database: Database, ledger_id: int, me: str) -> bool:
    """What the reminder was about was done or removed before it went: not sent, not due."""
    return _finish(
        database,
        ledger_id,
        me,
        state=LedgerState.SKIPPED.value,
        last_error="obsolete: done or removed before it was sent",
    )


def mark_refused(*, database: Database, ledger_id: int, me: str, error: str) -> bool:
    """Slack refuses this target for good: not sent, not tried again (what it was for has
    gone to someone who can act)."""
    return _finish(
        database, ledger_id, me, state=LedgerState.SKIPPED.value, last_error=f"refused: {error}"
    )


def mark_failed(*, database: Database, ledger_id: int, me: str, error: str) -> bool:
    return _finish(database, ledger_id, me, state=LedgerState.FAILED.value, last_error=error[:500])


def record_missed(
    *, database: Database, reminders: list[Reminder], now: datetime
) -> list[Reminder]:
    """Record reminders that fell due over 24 hours ago and were never sent, as skipped;
    a failed one is given up too. Returns those newly recorded."""
    recorded: list[Reminder] = []
    with database.session() as session:
        existing = ledger_states(session=session, keys=[r.key for r in reminders])
        for reminder in reminders:
            row = existing.get(reminder.key)
            if row is None:
                result = _insert_new(
                    session,
                    reminder,
                    state=LedgerState.SKIPPED.value,
                    claimed_at=now,
                    last_error="missed: more than 24 hours late",
                )
                if result is not None:
                    recorded.append(reminder)
            elif row.state == LedgerState.FAILED.value:
                row.state, row.last_error = LedgerState.SKIPPED.value, "gave up after 24 hours"
                session.add(row)
                recorded.append(reminder)
    return recorded


# ----- what the messages say ------------------------------------------------------------


class Details:
    """The rows the due reminders talk about, loaded in a fixed number of queries."""

    def __init__(self) -> None:
        self.deadlines: dict[int, Deadline] = {}
        self.trials: dict[int, Trial] = {}
        self.members: dict[int, Member] = {}
        self.tasks: dict[int, TaskRow] = {}
        self.meetings: dict[int, Meeting] = {}
        self.programmes: dict[int, ProgrammeItem] = {}
        self.agendas: dict[int, list[AgendaItem]] = defaultdict(list)
        self.checkins: dict[int, list[TaskRow]] = defaultdict(list)
        self.leads: dict[int, set[str]] = defaultdict(set)
        # Slack user IDs that Slack has refused to reach (`Member.unreachable`).
        self.unreachable: set[str] = set()
        # The language each recipient reads (those who never chose: English).
        self.languages: dict[str, Language] = {}


def load_details(*, session: Session, reminders: list[Reminder]) -> Details:
    details = Details()
    ids: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        ids[reminder.kind].add(reminder.subject_id)
    trial_ids = {r.trial_id for r in reminders}
    details.trials = {
        pk(t): t for t in session.exec(select(Trial).where(col(Trial.id).in_(trial_ids))).all()
    }
    for member in session.exec(
        select(Member).where(
            col(Member.trial_id).in_(trial_ids),
            Member.role == Role.LEAD.value,
            col(Member.active).is_(True),
        )
    ).all():
        details.leads[member.trial_id].add(member.slack_user_id)
    recipients = {r.recipient for r in reminders if r.recipient}
    details.languages = of_people(session=session, user_ids=recipients)
    details.unreachable = set(
        session.exec(
            select(Member.slack_user_id).where(
                col(Member.slack_user_id).in_(recipients), col(Member.unreachable).is_not(None)
            )
        ).all()
    )
    deadline_ids = ids["deadline"] | ids["escalation"]
    details.deadlines = {
        pk(d): d
        for d in session.exec(select(Deadline).where(col(Deadline.id).in_(deadline_ids))).all()
    }
    responsible = {d.responsible_member_id for d in details.deadlines.values()}
    details.members = {
        pk(m): m
        for m in session.exec(select(Member).where(col(Member.id).in_(responsible - {None})))
    }
    details.programmes = {
        pk(p): p
        for p in session.exec(
            select(ProgrammeItem).where(col(ProgrammeItem.id).in_(ids["contract"]))
        ).all()
    }
    select_rows, owner = task_rows_query()
    for row in session.execute(select_rows.where(col(Task.id).in_(ids["task"]))).all():
        details.tasks[row[0]] = TaskRow(*row)
    meeting_ids = ids["agenda"] | ids["agenda-call"]
    details.meetings = {
        pk(m): m
        for m in session.exec(select(Meeting).where(col(Meeting.id).in_(meeting_ids))).all()
    }
    for item in session.exec(
        select(AgendaItem)
        .where(col(AgendaItem.meeting_id).in_(meeting_ids))
        .order_by(col(AgendaItem.position))
    ).all():
        details.agendas[item.meeting_id].append(item)
    for row in session.execute(
        select_rows.add_columns(owner.id)
        .where(col(Task.owner_member_id).in_(ids["check-in"]), col(Task.status).in_(OPEN_STATUSES))
        .order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.id))
    ).all():
        details.checkins[row[-1]].append(TaskRow(*row[:-1]))
    return details

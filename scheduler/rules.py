"""What is due at time t: pure functions of (time, facts) → reminders (SPEC §4).

Every reminder goes at 09:00 local time on a working day; one whose day is not a working
day goes on the working day before. Offsets count calendar days; two offsets landing on
the same working day make one message (their slot is the day they are sent). A reminder
is due from its time for 24 hours; after that, if it was never sent, it is missed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.reminder_facts import (
    CONTRACT_OFFSETS,
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
from models.working_days import WorkingDays

SEND_TIME = time(9, 0)
DIGEST_TIME = time(16, 0)  # the Director's weekly digest, on Fridays
TASK_OFFSETS = (3, 0)
AGENDA_CALL_DAYS = 5
ESCALATION_WORKING_DAYS = 3
DUE_FOR = timedelta(hours=24)
LATE_STILL_MATTERS = frozenset({"escalation"})  # sent however late, saying so
LOOKBACK_DAYS = 7  # how far back a sweep looks for reminders it never sent


@dataclass(frozen=True)
class Schedule:
    """The reminders of one sweep: those due now, and those missed for good."""

    due: list[Reminder]
    missed: list[Reminder]


class _Builder:
    def __init__(self, now: datetime, tz: ZoneInfo, director_channel: str | None) -> None:
        self.now = now
        self.tz = tz
        self.today = now.astimezone(tz).date()
        self.window_start = self.today - timedelta(days=LOOKBACK_DAYS)
        self.director_channel = director_channel
        self.calendars: dict[str | None, WorkingDays] = {}

    def calendar(self, trial: TrialFacts) -> WorkingDays:
        if trial.region not in self.calendars:
            self.calendars[trial.region] = WorkingDays(trial.region)
        return self.calendars[trial.region]

    def at_nine(self, day: date) -> datetime:
        return datetime.combine(day, SEND_TIME, tzinfo=self.tz)

    def in_window(self, day: date) -> bool:
        return self.window_start <= day <= self.today

    def days(self, start: date, end: date, step: int = 1) -> Iterator[date]:
        day = start
        while day <= end:
            yield day
            day += timedelta(days=step)


def _lead_for(trial: TrialFacts, day: date) -> Person | None:
    present = [lead for lead in trial.leads if not lead.away_on(day)]
    candidates = present or list(trial.leads)
    return candidates[0] if candidates else None


def _deadline_reminders(b: _Builder, deadline: DeadlineFacts, trial: TrialFacts) -> list[Reminder]:
    calendar = b.calendar(trial)
    send_days: set[date] = set()
    for offset in deadline.offsets:
        send_days.add(calendar.on_or_before(deadline.due_date - timedelta(days=offset)))
    overdue_from = max(deadline.due_date + timedelta(days=1), b.window_start)
    for day in b.days(overdue_from, b.today + timedelta(days=3)):
        send_days.add(calendar.on_or_before(day))
    if deadline.snoozed_until is not None:
        send_days.add(calendar.on_or_after(deadline.snoozed_until))
    found = []
    for day in sorted(d for d in send_days if b.in_window(d)):
        person = deadline.responsible
        recipient, on_behalf = (person.user_id if person else None), None
        if person is None or person.away_on(day):
            lead = _lead_for(trial, day)
            on_behalf = person.user_id if person else None
            recipient = lead.user_id if lead else trial.channel_id
        found.append(
            Reminder(
                "deadline",
                f"D-{deadline.id}",
                day.isoformat(),
                b.at_nine(day),
                trial.id,
                deadline.id,
                recipient,
                on_behalf,
            )
        )
    escalation_day = calendar.nth_after(deadline.due_date, ESCALATION_WORKING_DAYS)
    if b.director_channel and b.in_window(escalation_day):
        found.append(
            Reminder(
                "escalation",
                f"D-{deadline.id}",
                "overdue",
                b.at_nine(escalation_day),
                trial.id,
                deadline.id,
                b.director_channel,
            )
        )
    return found


def _task_reminders(b: _Builder, task: TaskFacts, trial: TrialFacts) -> list[Reminder]:
    calendar = b.calendar(trial)
    nominal = [task.due_date - timedelta(days=offset) for offset in TASK_OFFSETS]
    weekly_from = task.due_date + timedelta(days=7)
    while weekly_from < b.window_start:
        weekly_from += timedelta(days=7)
    nominal += list(b.days(weekly_from, b.today + timedelta(days=3), step=7))
    found = []
    for day in sorted({calendar.on_or_before(d) for d in nominal}):
        if b.in_window(day) and not task.owner.away_on(day):
            found.append(
                Reminder(
                    "task",
                    f"T-{task.id}",
                    day.isoformat(),
                    b.at_nine(day),
                    trial.id,
                    task.id,
                    task.owner.user_id,
                )
            )
    return found


def _meeting_reminders(b: _Builder, meeting: MeetingFacts, trial: TrialFacts) -> list[Reminder]:
    if trial.channel_id is None:
        return []
    calendar = b.calendar(trial)
    meeting_day = meeting.starts_at.astimezone(b.tz).date()
    found = []
    for kind, days_before in (("agenda-call", AGENDA_CALL_DAYS), ("agenda", 1)):
        day = calendar.on_or_before(meeting_day - timedelta(days=days_before))
        if b.in_window(day):
            found.append(
                Reminder(
                    kind,
                    f"M-{meeting.id}",
                    day.isoformat(),
                    b.at_nine(day),
                    trial.id,
                    meeting.id,
                    trial.channel_id,
                )
            )
    return found


def _contract_reminders(b: _Builder, item: ProgrammeFacts, trial: TrialFacts) -> list[Reminder]:
    """To the lead 60, 30 and 14 days before a programme's contract ends."""
    calendar = b.calendar(trial)
    found = []
    for day in sorted(
        {calendar.on_or_before(item.until_date - timedelta(days=d)) for d in CONTRACT_OFFSETS}
    ):
        if not b.in_window(day):
            continue
        lead = _lead_for(trial, day)
        found.append(
            Reminder(
                "contract",
                f"P-{item.id}",
                day.isoformat(),
                b.at_nine(day),
                trial.id,
                item.id,
                lead.user_id if lead else trial.channel_id,
            )
        )
    return found


def _checkin_reminders(b: _Builder, checkin: CheckinFacts, trial: TrialFacts) -> list[Reminder]:
    calendar = b.calendar(trial)
    monday = b.window_start - timedelta(days=b.window_start.weekday())
    found = []
    for nominal in b.days(monday, b.today + timedelta(days=7), step=7):
        day = calendar.on_or_before(nominal)
        if b.in_window(day) and not checkin.person.away_on(day):
            found.append(
                Reminder(
                    "check-in",
                    f"member-{checkin.person.member_id}",
                    nominal.isoformat(),
                    b.at_nine(day),
                    trial.id,
                    checkin.person.member_id,
                    checkin.person.user_id,
                )
            )
    return found


def _digest_reminders(b: _Builder) -> list[Reminder]:
    if not b.director_channel:
        return []
    calendar = b.calendar(TrialFacts(0, "", None, None))
    friday = b.window_start + timedelta(days=(4 - b.window_start.weekday()) % 7)
    found = []
    for nominal in b.days(friday, b.today + timedelta(days=7), step=7):
        day = calendar.on_or_before(nominal)
        if b.in_window(day):
            send_at = datetime.combine(day, DIGEST_TIME, tzinfo=b.tz)
            found.append(
                Reminder(
                    "digest", "national", nominal.isoformat(), send_at, 0, 0, b.director_channel
                )
            )
    return found


def schedule(
    now: datetime, facts: Facts, *, tz: ZoneInfo, director_channel: str | None = None
) -> Schedule:
    """The reminders due at `now` (sent at most 24 hours late) and those missed for good."""
    b = _Builder(now, tz, director_channel)
    candidates: list[Reminder] = []
    for deadline in facts.deadlines:
        candidates += _deadline_reminders(b, deadline, facts.trials[deadline.trial_id])
    for task in facts.tasks:
        candidates += _task_reminders(b, task, facts.trials[task.trial_id])
    for meeting in facts.meetings:
        candidates += _meeting_reminders(b, meeting, facts.trials[meeting.trial_id])
    for checkin in facts.checkins:
        candidates += _checkin_reminders(b, checkin, facts.trials[checkin.trial_id])
    for item in facts.programmes:
        candidates += _contract_reminders(b, item, facts.trials[item.trial_id])
    candidates += _digest_reminders(b)
    made = {f"D-{d.id}": d.made_at for d in facts.deadlines}
    made |= {f"T-{t.id}": t.made_at for t in facts.tasks}
    made |= {f"M-{m.id}": m.made_at for m in facts.meetings}
    made |= {f"P-{p.id}": p.made_at for p in facts.programmes}
    due: list[Reminder] = []
    missed: list[Reminder] = []
    for reminder in {r.key: r for r in candidates}.values():
        if reminder.send_at > now or reminder.recipient is None:
            continue
        # An escalation still matters however late it is (within the lookback window).
        if reminder.kind in LATE_STILL_MATTERS or now - reminder.send_at < DUE_FOR:
            due.append(reminder)
        elif (made.get(reminder.target) or reminder.send_at) <= reminder.send_at:
            missed.append(reminder)  # its time came while the bot was not sending
        # else: its time came before what it is about existed: never due, never missed
    due.sort(key=lambda r: (r.send_at, r.kind, r.target))
    return Schedule(due=due, missed=missed)

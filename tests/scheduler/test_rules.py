"""The reminder rules, as pure functions of (time, facts): every reminder of SPEC §4 on
the right local day and hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.working_days import WorkingDays
from scheduler.rules import (
    CheckinFacts,
    DeadlineFacts,
    Facts,
    MeetingFacts,
    Person,
    TaskFacts,
    TrialFacts,
    schedule,
)

NZ = ZoneInfo("Pacific/Auckland")
LISA = Person("ULISA", 1)
HEMI = Person("UHEMI", 2)
GORE = TrialFacts(1, "Gore District", "Southland", "CGORE", (LISA,))
PORIRUA = TrialFacts(2, "Porirua", "Wellington", "CPORIRUA", (Person("URANEI", 3),))
DUNEDIN = TrialFacts(3, "South Dunedin", "Otago", "CDUNEDIN", (Person("UDUNEDIN", 4),))
TRIALS = {t.id: t for t in (GORE, PORIRUA, DUNEDIN)}


def nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=NZ)


def run_cycle(
    facts: Facts,
    start: date,
    end: date,
    director: str | None = "CDIRECTOR",
) -> list[tuple[str, str, str, str | None]]:
    """Sweep every hour from start to end, as the bot would, remembering what was sent;
    returns (local send time, kind, target, recipient) in order."""
    sent: set[tuple[str, str, str]] = set()
    log = []
    moment = datetime.combine(start, time(0), tzinfo=NZ)
    while moment.date() <= end:
        for reminder in schedule(
            moment.astimezone(UTC), facts, tz=NZ, director_channel=director
        ).due:
            if reminder.key not in sent:
                sent.add(reminder.key)
                log.append(
                    (f"{moment:%a %d %b %H:%M}", reminder.kind, reminder.target, reminder.recipient)
                )
        moment += timedelta(hours=1)
    return log


def test_a_whole_reporting_cycle_for_a_deadline() -> None:
    # Due Tuesday 15 December 2026; Gore is in Southland.
    facts = Facts(
        trials=TRIALS,
        deadlines=[
            DeadlineFacts(
                3, 1, "Six-monthly progress report to Ministers", date(2026, 12, 15), HEMI
            )
        ],
    )
    log = run_cycle(facts, date(2026, 11, 23), date(2026, 12, 22))
    assert log == [
        ("Fri 27 Nov 16:00", "digest", "national", "CDIRECTOR"),  # the weekly digest
        ("Tue 01 Dec 09:00", "deadline", "D-3", "UHEMI"),  # 14 days before
        ("Fri 04 Dec 16:00", "digest", "national", "CDIRECTOR"),
        ("Tue 08 Dec 09:00", "deadline", "D-3", "UHEMI"),  # 7
        ("Fri 11 Dec 09:00", "deadline", "D-3", "UHEMI"),  # 3 days before is a Saturday
        ("Fri 11 Dec 16:00", "digest", "national", "CDIRECTOR"),
        ("Mon 14 Dec 09:00", "deadline", "D-3", "UHEMI"),  # 1
        ("Tue 15 Dec 09:00", "deadline", "D-3", "UHEMI"),  # the day
        ("Wed 16 Dec 09:00", "deadline", "D-3", "UHEMI"),  # daily while overdue
        ("Thu 17 Dec 09:00", "deadline", "D-3", "UHEMI"),
        ("Fri 18 Dec 09:00", "deadline", "D-3", "UHEMI"),  # (also Sat and Sun's)
        ("Fri 18 Dec 09:00", "escalation", "D-3", "CDIRECTOR"),  # 3 working days overdue
        ("Fri 18 Dec 16:00", "digest", "national", "CDIRECTOR"),
        ("Mon 21 Dec 09:00", "deadline", "D-3", "UHEMI"),
        ("Tue 22 Dec 09:00", "deadline", "D-3", "UHEMI"),
    ]


def test_offsets_override_and_collide_into_one_message() -> None:
    facts = Facts(
        trials=TRIALS,
        deadlines=[
            DeadlineFacts(
                4, 1, "Joint Venture Board report", date(2027, 1, 18), LISA, offsets=(9, 8, 7, 0)
            )
        ],
    )
    log = run_cycle(facts, date(2027, 1, 1), date(2027, 1, 18), director=None)
    # 9 and 8 days before are the weekend of 9-10 Jan: one message on Friday 8 Jan.
    assert [entry[0] for entry in log] == [
        "Fri 08 Jan 09:00",
        "Mon 11 Jan 09:00",
        "Mon 18 Jan 09:00",
    ]


@pytest.mark.parametrize(
    ("due", "expected_utc"),
    [
        # NZ daylight saving starts Sunday 27 September 2026: 09:00 is 21:00 UTC before,
        # 20:00 UTC after.
        (date(2026, 9, 25), datetime(2026, 9, 24, 21, 0, tzinfo=UTC)),
        (date(2026, 9, 28), datetime(2026, 9, 27, 20, 0, tzinfo=UTC)),
        # It ends Sunday 4 April 2027.
        (date(2027, 4, 2), datetime(2027, 4, 1, 20, 0, tzinfo=UTC)),
        (date(2027, 4, 5), datetime(2027, 4, 4, 21, 0, tzinfo=UTC)),
    ],
)
def test_nine_oclock_local_across_daylight_saving(due: date, expected_utc: datetime) -> None:
    facts = Facts(trials=TRIALS, deadlines=[DeadlineFacts(1, 1, "Report", due, LISA)])
    at_nine = schedule(expected_utc, facts, tz=NZ).due
    assert [(r.slot, r.send_at) for r in at_nine if r.slot == due.isoformat()] == [
        (due.isoformat(), expected_utc)
    ]
    assert not [
        r
        for r in schedule(expected_utc - timedelta(minutes=1), facts, tz=NZ).due
        if r.slot == due.isoformat()
    ]  # a sweep before 09:00 sends nothing for the day


@pytest.mark.parametrize(
    ("trial", "due", "sent_on"),
    [
        (GORE, date(2027, 2, 8), date(2027, 2, 5)),  # Waitangi Day (Sat 6th) observed Monday
        (GORE, date(2027, 3, 29), date(2027, 3, 25)),  # Easter Monday, after Good Friday
        (GORE, date(2027, 6, 25), date(2027, 6, 24)),  # Matariki
        (GORE, date(2027, 3, 30), date(2027, 3, 25)),  # Southland Anniversary Day (Tue)
        (PORIRUA, date(2027, 1, 25), date(2027, 1, 22)),  # Wellington Anniversary Day
        (DUNEDIN, date(2027, 1, 25), date(2027, 1, 25)),  # ...a working day in Otago
        (DUNEDIN, date(2027, 3, 22), date(2027, 3, 19)),  # Otago Anniversary Day
        (PORIRUA, date(2027, 3, 22), date(2027, 3, 22)),  # ...a working day in Wellington
        (GORE, date(2027, 1, 2), date(2026, 12, 31)),  # a Saturday after New Year's Day
    ],
)
def test_a_reminder_on_a_day_off_goes_on_the_working_day_before(
    trial: TrialFacts, due: date, sent_on: date
) -> None:
    facts = Facts(trials=TRIALS, tasks=[TaskFacts(12, trial.id, "Report", due, HEMI)])
    due_at = schedule(nine(sent_on).astimezone(UTC), facts, tz=NZ).due
    assert [r.slot for r in due_at] == [sent_on.isoformat()]


def test_places_keep_their_anniversary_days() -> None:
    assert not WorkingDays("Wellington").is_working_day(date(2027, 1, 25))
    assert WorkingDays("Otago").is_working_day(date(2027, 1, 25))
    # Christmas (Fri) and Boxing Day (Sat, observed Mon 28th) are days off.
    assert WorkingDays(None).nth_after(date(2026, 12, 24), 3) == date(2026, 12, 31)


def test_an_away_members_deadline_reminder_reaches_the_lead_and_task_nudges_stop() -> None:
    away = Person("UHEMI", 2, away_until=date(2026, 12, 20))
    facts = Facts(
        trials=TRIALS,
        deadlines=[DeadlineFacts(3, 1, "Report", date(2026, 12, 15), away)],
        tasks=[TaskFacts(12, 1, "Breakfast club", date(2026, 12, 15), away)],
        checkins=[CheckinFacts(1, away)],
    )
    due = schedule(nine(date(2026, 12, 15)).astimezone(UTC), facts, tz=NZ).due
    assert [(r.kind, r.recipient, r.on_behalf_of) for r in due] == [("deadline", "ULISA", "UHEMI")]
    back = schedule(nine(date(2026, 12, 21)).astimezone(UTC), facts, tz=NZ).due
    assert {(r.kind, r.recipient) for r in back} == {("deadline", "UHEMI"), ("check-in", "UHEMI")}


def test_tasks_meetings_and_the_weekly_check_in() -> None:
    meeting_at = datetime(2026, 12, 10, 10, 0, tzinfo=NZ)  # a Thursday
    facts = Facts(
        trials=TRIALS,
        tasks=[TaskFacts(12, 1, "Breakfast club", date(2026, 12, 2), HEMI)],
        meetings=[MeetingFacts(5, 1, meeting_at.astimezone(UTC))],
        checkins=[CheckinFacts(1, HEMI)],
    )
    log = run_cycle(facts, date(2026, 11, 23), date(2026, 12, 31), director=None)
    assert log == [
        ("Mon 23 Nov 09:00", "check-in", "member-2", "UHEMI"),
        ("Fri 27 Nov 09:00", "task", "T-12", "UHEMI"),  # 3 days before is a Sunday
        ("Mon 30 Nov 09:00", "check-in", "member-2", "UHEMI"),
        ("Wed 02 Dec 09:00", "task", "T-12", "UHEMI"),  # the day
        ("Fri 04 Dec 09:00", "agenda-call", "M-5", "CGORE"),  # 5 days before (a Saturday)
        ("Mon 07 Dec 09:00", "check-in", "member-2", "UHEMI"),
        ("Wed 09 Dec 09:00", "agenda", "M-5", "CGORE"),  # the day before
        ("Wed 09 Dec 09:00", "task", "T-12", "UHEMI"),  # weekly while overdue
        ("Mon 14 Dec 09:00", "check-in", "member-2", "UHEMI"),
        ("Wed 16 Dec 09:00", "task", "T-12", "UHEMI"),
        ("Mon 21 Dec 09:00", "check-in", "member-2", "UHEMI"),
        ("Wed 23 Dec 09:00", "task", "T-12", "UHEMI"),
        ("Thu 24 Dec 09:00", "check-in", "member-2", "UHEMI"),  # Mon 28 Dec is a holiday
        ("Wed 30 Dec 09:00", "task", "T-12", "UHEMI"),
        ("Thu 31 Dec 09:00", "check-in", "member-2", "UHEMI"),  # Mon 4 Jan is a holiday too
    ]


def test_reminders_more_than_a_day_late_are_missed_not_sent() -> None:
    facts = Facts(trials=TRIALS, tasks=[TaskFacts(12, 1, "Report", date(2026, 12, 15), HEMI)])
    late = nine(date(2026, 12, 15)) + timedelta(hours=23)
    assert [r.slot for r in schedule(late.astimezone(UTC), facts, tz=NZ).due] == ["2026-12-15"]
    too_late = schedule((late + timedelta(hours=2)).astimezone(UTC), facts, tz=NZ)
    # Also the reminder 3 days before (sent on Friday 11th), which no sweep ever sent.
    assert too_late.due == []
    assert sorted(r.slot for r in too_late.missed) == ["2026-12-11", "2026-12-15"]


def test_a_slot_from_before_the_deadline_existed_is_neither_due_nor_missed() -> None:
    """A deadline added on Thu 10 Dec, due Tue 15 Dec: its "7 days before" (Tue 8 Dec)
    could never have gone, so a sweep on Fri 11 Dec neither sends nor counts it missed;
    had it existed then and the bot been down, it would be missed."""
    added = nine(date(2026, 12, 10)).astimezone(UTC)
    later = DeadlineFacts(1, 1, "Report", date(2026, 12, 15), LISA, made_at=added)
    earlier = DeadlineFacts(
        2, 1, "Report", date(2026, 12, 15), LISA, made_at=added - timedelta(days=30)
    )
    plan = schedule(
        nine(date(2026, 12, 11)).astimezone(UTC), Facts(TRIALS, [later, earlier]), tz=NZ
    )
    assert [r.target for r in plan.missed] == ["D-2"]
    assert "D-1" not in [r.target for r in plan.missed]

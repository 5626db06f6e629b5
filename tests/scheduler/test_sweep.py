"""Reminder sweeps against a real database and the fake Slack: each reminder sent once,
retried after Slack refuses, never marked sent early, and none lost to a crash."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from models.tables import ReminderLedger
from scheduler import runner
from scheduler.sweep import SENDERS, sweep
from simulator.web_api import DROP, FakeSlack
from tests.harness import data
from tests.harness.processes import SCRIPT

NZ = ZoneInfo("Pacific/Auckland")
TUESDAY_NINE = datetime(2026, 12, 15, 9, 0, tzinfo=NZ)


@pytest.fixture
def reminder_settings(fake_slack: FakeSlack, database: Database) -> Settings:
    return Settings(
        slack_bot_token="xoxb-test-token",
        slack_api_url=fake_slack.url,
        database_url=database.url.render_as_string(hide_password=False),
        director_user_ids=frozenset({"UDIRECTOR"}),
        director_channel_id="CDIRECTOR",
    )


def _ledger(database: Database) -> Counter[str]:
    with database.session(write=False) as session:
        return Counter(session.exec(select(ReminderLedger.state)).all())


def _sent_keys(database: Database) -> set[tuple[str, str, str]]:
    with database.session(write=False) as session:
        rows = session.exec(select(ReminderLedger).where(ReminderLedger.state == "sent")).all()
    return {(r.kind, r.target, r.slot) for r in rows}


MORNING = TUESDAY_NINE - timedelta(hours=1)
LONG_BEFORE = datetime(2026, 11, 2, 10, 0, tzinfo=NZ)  # six weeks before the due day


def _gore(database: Database, *, hemi_away: date | None = None, made: datetime = MORNING) -> None:
    """Gore's records, added on the morning of the due day (no earlier reminder was missed),
    or, with `made=LONG_BEFORE`, weeks before (earlier reminders nobody swept for were
    missed). Always a chosen instant: the wall clock never decides what was missed."""
    with database.session() as session:
        gore = data.trial(session, "Gore District", channel="CGORE")
        data.member(session, gore, "ULISA", role="lead")
        hemi = data.member(session, gore, "UHEMI", sector="iwi", away_until=hemi_away)
        data.deadline(
            session,
            gore,
            hemi,
            "Six-monthly progress report to Ministers",
            date(2026, 12, 15),
            made=made,
        )
        data.task(session, gore, hemi, "Hire a truancy officer", date(2026, 12, 15), made=made)


def test_a_sweep_sends_each_due_reminder_once(
    wall_clock: datetime, database: Database, fake_slack: FakeSlack, reminder_settings: Settings
) -> None:
    """The same, whenever the machine's clock says it is: what is due, and what was missed,
    is decided by the sweep's `now` and the records' own times."""
    _gore(database, made=LONG_BEFORE)  # made weeks before: the earlier reminders were missed
    client = make_client(reminder_settings)
    first = sweep(
        now=TUESDAY_NINE, database=database, client=client, settings=reminder_settings, me="test-a"
    )
    assert (first.sent, first.failed) == (2, 0), first
    messages = {
        c.params["text"]: c.params["channel"] for c in fake_slack.calls_to("chat.postMessage")
    }
    missed_note = next(text for text in messages if text.startswith(":hourglass:"))
    assert messages.pop(missed_note) == "ULISA"  # the lead hears once what never went
    assert "deadline reminder *D-1* to <@UHEMI>, due Tue 8 Dec 2026, 09:00" in missed_note
    assert messages == {
        "D-1 Six-monthly progress report to Ministers (Gore District): "
        "due today (Tue 15 Dec 2026)": "UHEMI",
        "T-1 Hire a truancy officer (Gore District) is due today (Tue 15 Dec 2026).": "UHEMI",
    }
    again = sweep(
        now=TUESDAY_NINE.replace(minute=5),
        database=database,
        client=client,
        settings=reminder_settings,
        me="test-b",
    )
    assert (again.sent, again.taken) == (0, 2)
    assert len(fake_slack.calls_to("chat.postMessage")) == 3  # the two, and the lead's note
    ledger = _ledger(database)
    assert ledger["sent"] == 2 and ledger["skipped"] >= 3  # earlier ones nobody swept for
    before_nine = sweep(
        now=datetime(2026, 12, 16, 8, 59, tzinfo=NZ),
        database=database,
        client=client,
        settings=reminder_settings,
        me="test-c",
    )
    assert before_nine.sent == 0


def test_an_away_members_deadline_reminder_goes_to_the_lead(
    database: Database, fake_slack: FakeSlack, reminder_settings: Settings
) -> None:
    _gore(database, hemi_away=date(2026, 12, 31))
    sweep(
        now=TUESDAY_NINE,
        database=database,
        client=make_client(reminder_settings),
        settings=reminder_settings,
        me="test",
    )
    calls = fake_slack.calls_to("chat.postMessage")
    assert [c.params["channel"] for c in calls] == ["ULISA"]  # and no task nudge to Hemi
    text = str(calls[0].params["blocks"])
    assert "<@UHEMI> is responsible but away, so this comes to you" in text
    assert "Snooze 1 day" in text and "Mark submitted" in text


def test_a_refused_send_is_retried_by_the_next_sweep_and_never_marked_sent(
    database: Database, fake_slack: FakeSlack, reminder_settings: Settings
) -> None:
    _gore(database)
    fake_slack.fail("chat.postMessage", 500, times=3)  # the first send and both its retries
    client = make_client(reminder_settings)
    first = sweep(
        now=TUESDAY_NINE, database=database, client=client, settings=reminder_settings, me="test"
    )
    assert (first.sent, first.failed) == (1, 1)
    assert _ledger(database)["failed"] == 1
    assert _sent_keys(database) <= set(fake_slack.delivered_reminders())
    second = sweep(
        now=TUESDAY_NINE.replace(minute=1),
        database=database,
        client=client,
        settings=reminder_settings,
        me="test",
    )
    assert (second.sent, second.failed) == (1, 0)
    assert sorted(Counter(fake_slack.delivered_reminders()).values()) == [1, 1]


def test_five_hundred_reminders_through_rate_limits_and_server_errors(
    database: Database, fake_slack: FakeSlack, reminder_settings: Settings
) -> None:
    with database.session() as session:
        data.many_tasks_due(session, count=500, due=date(2026, 12, 15), owners=250)
    fake_slack.fail("chat.postMessage", 429, times=3, retry_after=1)
    # While failures are queued every call fails; each sender's message absorbs at most
    # two before the client's retries give up, so this many make at least one fail.
    fake_slack.fail("chat.postMessage", 500, times=2 * SENDERS + 1)
    client = make_client(reminder_settings)
    sweeps = []
    for minute in range(5):
        result = sweep(
            now=TUESDAY_NINE.replace(minute=minute),
            database=database,
            client=client,
            settings=reminder_settings,
            me=f"sweep-{minute}",
        )
        sweeps.append((result.sent, result.failed))
        # Nothing is ever marked sent that Slack did not accept.
        assert _sent_keys(database) <= set(fake_slack.delivered_reminders())
        if not result.failed and not result.sent:
            break
    delivered = Counter(fake_slack.delivered_reminders())
    assert len(delivered) == 500 and set(delivered.values()) == {1}, sweeps
    assert sweeps[0][1] > 0  # some were refused at first...
    assert _ledger(database)["sent"] == 500  # ...and all went in the end


def test_a_sweep_keeps_to_the_pace_slack_asks_for(
    database: Database, fake_slack: FakeSlack, reminder_settings: Settings
) -> None:
    with database.session() as session:
        data.many_tasks_due(session, count=120, due=date(2026, 12, 15), owners=120)
    fake_slack.rate_limit("chat.postMessage", 30)
    result = sweep(
        now=TUESDAY_NINE,
        database=database,
        client=make_client(reminder_settings),
        settings=reminder_settings,
        me="paced",
    )
    assert (result.sent, result.failed) == (120, 0)
    assert sorted(Counter(fake_slack.delivered_reminders()).values()) == [1] * 120
    refused = [c for c in fake_slack.calls_to("chat.postMessage") if c.status == 429]
    # The senders meet the limit once each, then wait together and keep to its pace
    # (each on its own, they met it 131 times in 2,000 messages). On a machine busy with
    # other tests, a sender's message already in flight can meet it once more.
    assert len(refused) <= 3 * SENDERS, len(refused)


def test_the_scheduler_sweeps_inside_the_bot(
    database: Database, fake_slack: FakeSlack, reminder_settings: Settings
) -> None:
    _gore(database)
    reminders = runner.start(
        database=database,
        client=make_client(reminder_settings),
        settings=reminder_settings,
        clock=lambda: TUESDAY_NINE,
    )
    try:
        fake_slack.wait_for("chat.postMessage", count=2)
        job = reminders.scheduler.get_job("reminder-sweep")
        assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 50
    finally:
        reminders.stop()
    assert _ledger(database)["sent"] == 2


def _cli_env(fake_slack: FakeSlack, database: Database) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    return env | {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_API_URL": fake_slack.url,
        "DATABASE_URL": database.url.render_as_string(hide_password=False),
        "TIMEZONE": "Pacific/Auckland",
    }


def test_dry_run_lists_what_is_due_and_changes_nothing(
    database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    _gore(database)
    with database.session() as session:
        data.many_tasks_due(session, count=3, due=date(2026, 12, 14), owners=3)
    env = _cli_env(fake_slack, database)
    del env["SLACK_BOT_TOKEN"]  # a dry run needs no token
    done = subprocess.run(
        [SCRIPT, "reminders", "--at", "2026-12-14T09:00", "--dry-run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Mon 14 Dec 2026, 09:00" in done.stdout
    assert "deadline    D-1        UHEMI" in done.stdout  # one day before
    assert "check-in    member-2   UHEMI" in done.stdout
    assert done.stdout.count("task        T-") == 3 and "Kawerau District" in done.stdout
    assert "would be sent" in done.stdout
    assert sum(_ledger(database).values()) == 0
    assert fake_slack.calls == []


def test_two_processes_sharing_postgres_send_each_reminder_once(
    postgres_database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    with postgres_database.session() as session:
        data.many_tasks_due(session, count=1000, due=date(2026, 12, 15), owners=500)
    env = _cli_env(fake_slack, postgres_database)
    command = [SCRIPT, "reminders", "--at", "2026-12-15T09:00", "--yes"]
    processes = [
        subprocess.Popen(
            command,
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    delivered = Counter(fake_slack.delivered_reminders())
    assert len(delivered) == 1000 and set(delivered.values()) == {1}
    shares = [int(re.search(r"(\d+) sent", out).group(1)) for out in outputs]  # type: ignore[union-attr]
    assert sum(shares) == 1000, outputs  # both took part: {shares}
    ledger = _ledger(postgres_database)
    assert ledger["sent"] == 1000 and ledger["claimed"] == ledger["failed"] == 0


def test_a_bot_killed_mid_sweep_loses_no_reminder(
    database: Database, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    with database.session() as session:
        data.many_tasks_due(session, count=200, due=date(2026, 12, 15), owners=200)
    fake_slack.delay("chat.postMessage", 0.02)
    env = _cli_env(fake_slack, database)
    victim = subprocess.Popen(
        [SCRIPT, "reminders", "--at", "2026-12-15T09:00", "--yes"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(fake_slack.delivered_reminders()) < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    at_kill = _ledger(database)
    in_flight = at_kill["claimed"]
    assert 0 < at_kill["sent"] < 200 and in_flight <= SENDERS  # one in flight per sender
    fake_slack.delay("chat.postMessage", 0)
    # Back up a quarter of an hour later: the dead process's claim has gone stale.
    done = subprocess.run(
        [SCRIPT, "reminders", "--at", "2026-12-15T09:15", "--yes"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    delivered = Counter(fake_slack.delivered_reminders())
    duplicates = sum(count - 1 for count in delivered.values())
    print(
        f"killed after {at_kill['sent']} sent with {in_flight} in flight: {duplicates} duplicate(s)"
    )
    assert len(delivered) == 200  # none lost
    assert duplicates <= in_flight  # a duplicate only for a message in flight at the kill
    ledger = _ledger(database)  # (the reminders before the due day were never swept: skipped)
    assert ledger["sent"] == 200 and ledger["claimed"] == ledger["failed"] == 0


def test_dropped_connections_lose_nothing_and_duplicate_nothing(
    database: Database, fake_slack: FakeSlack, reminder_settings: Settings
) -> None:
    with database.session() as session:
        data.many_tasks_due(session, count=20, due=date(2026, 12, 15), owners=20)
    # Dropped connections and a 500, some beyond the client's own two retries: whatever
    # fails waits for the next sweep, and nothing is marked sent that Slack didn't take.
    fake_slack.fail("chat.postMessage", DROP, times=8)
    fake_slack.fail("chat.postMessage", 500, times=1)
    client = make_client(reminder_settings)
    results = []
    for minute in range(4):
        results.append(
            sweep(
                now=TUESDAY_NINE.replace(minute=minute),
                database=database,
                client=client,
                settings=reminder_settings,
                me="test",
            )
        )
        assert _sent_keys(database) <= set(fake_slack.delivered_reminders())
    assert sum(r.sent for r in results) == 20
    assert sum(1 for c in fake_slack.calls_to("chat.postMessage") if c.status == DROP) == 8
    delivered = Counter(fake_slack.delivered_reminders())
    assert len(delivered) == 20 and set(delivered.values()) == {1}
    assert _sent_keys(database) <= set(delivered)


@pytest.mark.parametrize(
    ("at", "says"),
    [
        ("2027-03-01T09:00", "is in the future"),
        ("0001-01-01", "is out of range"),
        ("2026-09-27T02:30", "does not exist in Pacific/Auckland"),
        ("next tuesday", "is not an ISO time"),
    ],
)
def test_reminders_at_a_time_it_should_not_send_at_is_refused_plainly(
    database: Database, fake_slack: FakeSlack, tmp_path: Path, at: str, says: str
) -> None:
    _gore(database)
    done = subprocess.run(
        [SCRIPT, "reminders", "--at", at],
        env=_cli_env(fake_slack, database),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr
    assert sum(_ledger(database).values()) == 0
    assert fake_slack.calls == []

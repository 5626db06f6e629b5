"""/deadline, and the buttons on reminders, over signed HTTP requests. The bot's clock is
Monday 23 November 2026, 09:30 in Auckland (tests/conftest.py NOW)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from models.tables import AuditLog, Deadline, ProgressUpdate, Task, Trial
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, RANUI
from tests.harness.checks import assert_refused, wait_until_made
from tests.harness.slack_requests import Interactions, Slack

NZ = ZoneInfo("Pacific/Auckland")


@pytest.fixture
def group(gore: Slack) -> Slack:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f"/group add <@{ARO}|aro> agency", user=LISA, channel=GORE)
    return gore


def _deadline(database: Database, number: int) -> Deadline:
    with database.session(write=False) as session:
        deadline = session.get(Deadline, number)
        assert deadline is not None
        return deadline


def _audit(database: Database, action: str) -> int:
    with database.session(write=False) as session:
        return session.exec(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == action)
        ).one()


def _element(params: dict[str, Any], action_id: str) -> tuple[str, dict[str, Any]]:
    """(block_id, element) of a button in a posted message."""
    for block in params["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id", "").startswith(action_id):
                return block.get("block_id", "b"), element
    raise AssertionError(f"no {action_id} in {params['blocks']}")


def test_deadlines_from_adding_to_submitting(group: Slack, database: Database) -> None:
    added = group.say(
        "/deadline add Six-monthly progress report to Ministers due 15/12", user=LISA, channel=GORE
    )
    assert not added.ephemeral
    assert (
        "added *D-1* “Six-monthly progress report to Ministers” for Gore District, due "
        "Tue 15 Dec 2026. <@ULISA> is responsible." in added.text
    )
    owned = group.say("/deadline add Truancy figures due 4/12 owner @hemi", user=LISA, channel=GORE)
    assert "<@UHEMI> is responsible" in owned.text
    refused = group.say("/deadline add Sneaky due 1/12", user=HEMI, channel=GORE)
    assert "Only the lead of Gore District (<@ULISA>) or the Director" in refused.text

    listing = group.say("/deadline list", user=ARO, channel=GORE)
    assert listing.text.index("D-2") < listing.text.index("D-1")
    assert "due in 11 days (Fri 4 Dec 2026)" in listing.text

    custom = group.say("/deadline remind D-1 21, 14,7,0", user=LISA, channel=GORE)
    assert "21, 14, 7, 0 days before" in custom.text
    assert _deadline(database, 1).reminder_offsets == "21,14,7,0"

    not_yours = group.say("/deadline submitted D-1", user=ARO, channel=GORE)
    assert "Only its responsible member (<@ULISA>), the lead of Gore District" in not_yours.text
    done = group.say(
        "/deadline submitted d2 <https://docs.example/truancy|report>", user=HEMI, channel=GORE
    )
    assert (
        not done.ephemeral
        and "marked *D-2* “Truancy figures” for Gore District submitted" in done.text
        and "<https://docs.example/truancy|the report>" in done.text
    )
    deadline = _deadline(database, 2)
    assert (deadline.status, deadline.submitted_link) == (
        "submitted",
        "https://docs.example/truancy",
    )
    assert (
        "already marked submitted"
        in group.say("/deadline submitted D-2", user=HEMI, channel=GORE).text
    )
    assert "D-2" not in group.say("/deadline list", user=ARO, channel=GORE).text


def test_a_national_deadline_goes_to_every_trial_still_reporting(
    group: Slack, database: Database
) -> None:
    group.say("/group setup Rānui lead <@UMARK|mark>", user=DIRECTOR, channel=RANUI)
    group.say("/group status transitioning", user=DIRECTOR, channel=RANUI)
    group.say("/group setup Rotorua District", user=DIRECTOR, channel="CROTORUA")
    group.say("/group status exited", user=DIRECTOR, channel="CROTORUA")
    group.say("/group setup Porirua", user=DIRECTOR, channel="CPORIRUA")
    group.say("/group status locally-led", user=DIRECTOR, channel="CPORIRUA")
    refused = group.say(
        "/deadline add Report to the Joint Venture Board due 31/1/2027 national",
        user=LISA,
        channel=GORE,
    )
    assert "Only the Director (<@UDIRECTOR>) can add national deadlines" in refused.text
    added = group.say(
        "/deadline add Report to the Joint Venture Board due 31/1/2027 national",
        user=DIRECTOR,
        channel="CDIRECTORATE",
    )
    assert (
        # D-1 is Rānui's transition review, made when it became transitioning.
        "to 2 trials still reporting (D-2–D-3), each owned by its lead: Gore District, Rānui."
        in (added.text)
    )
    with database.session(write=False) as session:
        rows = session.exec(select(Deadline, Trial).join(Trial)).all()
    rows = [(d, trial) for d, trial in rows if d.national_key]
    owners = {trial.name: d.responsible_member_id is not None for d, trial in rows}
    assert owners == {"Gore District": True, "Rānui": True}
    assert len({d.national_key for d, _ in rows}) == 1
    every = group.say("/deadline list", user=DIRECTOR, channel="CDIRECTORATE")
    assert "Open deadlines of every trial" in every.text and "Rānui" in every.text


BAD = [
    ("/deadline add Report", "Say when it is due"),
    ("/deadline add Report due 31/2", "no 31 February"),
    ("/deadline add Report due 1/1/2020", "has passed"),
    ("/deadline add due 15/12", "deadline title is missing"),
    ("/deadline submitted", "Say which deadline"),
    ("/deadline submitted D-1 not-a-link", "give only a link"),
    ("/deadline submitted T-1", "is a task"),
    ("/deadline submitted D-9", "There is no deadline D-9"),
    ("/deadline remind D-1 soon", "numbers separated by commas"),
    ("/deadline remind D-1 400,7", "at most 365 days"),
    ("/deadline frobnicate", "I don't know `/deadline frobnicate`"),
]


@pytest.mark.parametrize(("line", "says"), BAD, ids=[b[1] for b in BAD])
def test_bad_input_gets_a_clear_reply_and_changes_nothing(
    group: Slack, database: Database, line: str, says: str
) -> None:
    group.say("/deadline add Report due 15/12", user=LISA, channel=GORE)
    assert_refused(group, database, line, says, user=LISA, channel=GORE)


def test_reminder_buttons_snooze_and_submit(
    group: Slack, database: Database, fake_slack: FakeSlack, settings: Settings
) -> None:
    group.say(
        "/deadline add Six-monthly progress report to Ministers due 8/12 owner @hemi",
        user=LISA,
        channel=GORE,
    )
    group.say("/group away until 31/12", user=HEMI, channel=GORE)
    client = make_client(settings)
    tuesday = datetime(2026, 12, 1, 9, 0, tzinfo=NZ)  # 7 days before
    sweep(now=tuesday, database=database, client=client, settings=settings, me="test")
    to_lisa = fake_slack.wait_for("chat.postMessage")[0].params
    assert to_lisa["channel"] == LISA and "away" in str(to_lisa["blocks"])

    clicks = Interactions(group)
    _, snooze = _element(to_lisa, "deadline_snooze")
    snoozed = clicks.click(snooze, user=LISA, channel="DLISA")
    reply = fake_slack.wait_for("response_url", hook=snoozed.hook)[0].params["text"]
    # The bot's clock says Mon 23 Nov, so "tomorrow" is Tue 24 Nov.
    assert "again on Tue 24 Nov 2026" in reply
    assert _deadline(database, 1).snoozed_until == date(2026, 11, 24)
    assert _audit(database, "deadline.snoozed") == 1
    refused = clicks.click(snooze, user=ARO, channel="DARO")
    assert (
        "Only the lead" in fake_slack.wait_for("response_url", hook=refused.hook)[0].params["text"]
    )

    _, submit = _element(to_lisa, "deadline_submit")
    clicks.click(submit, user=LISA, channel="DLISA")
    note = next(
        c for c in fake_slack.wait_for("chat.postMessage", count=2) if c.params["channel"] == GORE
    )
    assert "marked *D-1*" in note.params["text"]
    assert _deadline(database, 1).status == "submitted"
    assert _audit(database, "deadline.submitted") == 1
    later = sweep(
        now=datetime(2026, 12, 8, 9, 0, tzinfo=NZ),
        database=database,
        client=client,
        settings=settings,
        me="test",
    )
    assert later.sent == 0


def test_check_in_answers_become_progress_updates(
    group: Slack, database: Database, fake_slack: FakeSlack, settings: Settings
) -> None:
    group.say("/task add Hire a truancy officer owner @hemi due 15/1/2027", user=LISA, channel=GORE)
    group.say("/task add Holiday programme owner @hemi", user=LISA, channel=GORE)
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=NZ)
    sweep(now=monday, database=database, client=make_client(settings), settings=settings, me="test")
    checkin = fake_slack.wait_for("chat.postMessage")[0].params
    assert checkin["channel"] == HEMI and "Weekly check-in · Gore District" in str(checkin)
    block_id, at_risk = _element(checkin, "task_status_at-risk")
    clicks = Interactions(group)
    clicks.click(at_risk, user=HEMI, channel="DHEMI", block_id=block_id)
    fake_slack.wait_for("response_url")
    block_id, add_update = _element(checkin, "task_add_update")
    clicks.click(add_update, user=HEMI, channel="DHEMI", block_id=block_id)
    view = fake_slack.wait_for("views.open")[0].view
    assert (
        clicks.submit(
            view,
            {"task": "1", "status": "on-track", "percent": "30", "text": "Interviews next week"},
            user=HEMI,
        )
        == {}
    )
    wait_until_made(database)
    with database.session(write=False) as session:
        updates = session.exec(select(ProgressUpdate).order_by(ProgressUpdate.id)).all()
        task = session.get(Task, 1)
    assert [(u.status, u.source) for u in updates] == [
        ("at-risk", "check-in"),
        ("on-track", "check-in"),
    ]
    assert task is not None and (task.status, task.percent) == ("on-track", 30)

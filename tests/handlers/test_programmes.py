"""`/programme`: a trial's programmes and services (providers, funding, contracts) and its
coordination items; contract-end reminders to the lead; funding in summaries and reports."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from docx import Document
from sqlmodel import select

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from models.tables import ProgrammeItem, Task
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, DIRECTORATE, GORE, HEMI, LISA, RANUI
from tests.harness.checks import assert_refused
from tests.harness.slack_requests import Slack

NZ = ZoneInfo("Pacific/Auckland")
TRUANCY = (
    '/programme add Truancy officer provider "Hokonui Rūnanga" funding $120,000 '
    "from 1/7/2025 until 24/1/2027 outcome Reduce truancy"
)


def _items(database: Database) -> list[ProgrammeItem]:
    with database.session(write=False) as session:
        return list(session.exec(select(ProgrammeItem).order_by(ProgrammeItem.id)).all())


def test_a_lead_adds_programmes_and_coordination_items(gore: Slack, database: Database) -> None:
    added = gore.say(TRUANCY, user=LISA, channel=GORE)
    assert not added.ephemeral
    assert "*P-1* Truancy officer · Hokonui Rūnanga · $120,000" in added.text
    assert "contract ends in 62 days (Sun 24 Jan 2027)" in added.text
    gore.say("/programme add Youth hub funding 45.5k until 30/6/2027", user=LISA, channel=GORE)
    gore.say("/programme add Trial lead role funding 95000 coordination", user=LISA, channel=GORE)
    first, hub, role = _items(database)
    assert (first.funding_cents, first.from_date, first.until_date) == (
        12_000_000,
        date(2025, 7, 1),
        date(2027, 1, 24),
    )
    assert first.provider == "Hokonui Rūnanga" and first.outcome_id is not None
    assert hub.funding_cents == 4_550_000 and not hub.coordination
    assert role.coordination and role.funding_cents == 9_500_000

    listed = gore.say("/programme", user=HEMI, channel=GORE)  # anyone in the channel reads
    assert listed.ephemeral
    text = listed.text
    assert text.index("Programmes and services") < text.index("*P-1*") < text.index("Coordination")
    assert text.index("Coordination") < text.index("*P-3* Trial lead role")
    assert "Running: $260,500" in text


def test_bad_programmes_are_refused_with_a_reason_and_change_nothing(
    gore: Slack, database: Database
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    for line, says in (
        ("/programme add Breakfast club funding lots", "is not an amount of money"),
        ("/programme add Breakfast club funding $99,999,999,999", "more than any trial"),
        ("/programme add Breakfast club from 1/7/2026 until 1/3/2026", "can't end"),
        ("/programme add Breakfast club until 31/2/2027", "There is no 31 February 2027"),
        ("/programme add " + "x" * 2000, "keep it to 200"),
        ("/programme add funding 10k", "name is missing"),
        ("/programme show P-99", "There is no programme P-99. `/programme list` shows them."),
        ("/programme show T-1", "T-1 is a task"),
        ("/programme set P-1", "Say the programme, the field"),
        ("/programme lsit", "Did you mean `/programme list`"),
    ):
        assert_refused(gore, database, line, says, user=LISA, channel=GORE)
    assert_refused(gore, database, TRUANCY, "Only the lead", user=HEMI, channel=GORE)
    assert _items(database) == []


def test_set_end_and_show_a_programme_with_its_tasks(gore: Slack, database: Database) -> None:
    gore.say(TRUANCY, user=LISA, channel=GORE)
    moved = gore.say("/programme set P-1 until 30/6/2027", user=LISA, channel=GORE)
    assert "changed the until of *P-1*" in moved.text and "Wed 30 Jun 2027" in moved.text
    gore.say('/programme set P-1 provider "Te Rūnanga o Ngāi Tahu"', user=LISA, channel=GORE)
    gore.say("/programme set P-1 funding 130k", user=LISA, channel=GORE)
    assert_refused(
        gore, database, "/programme set P-1 until 1/1/2025", "can't end", user=LISA, channel=GORE
    )
    task = gore.say(
        "/task add Recruit the second officer programme P-1 due 15/12", user=LISA, channel=GORE
    )
    assert "*Programme*\n*P-1* Truancy officer" in task.text
    with database.session(write=False) as session:
        (row,) = session.exec(select(Task)).all()
    assert row.title == "Recruit the second officer" and row.programme_item_id == 1
    shown = gore.say("/programme show p1", user=LISA, channel=GORE).text
    assert "Provider: Te Rūnanga o Ngāi Tahu" in shown and "Funding: $130,000" in shown
    assert "T-1" in shown and "Recruit the second officer" in shown
    ended = gore.say("/programme end P-1 20/11/2026", user=LISA, channel=GORE)
    assert "ended *P-1* Truancy officer ($130,000) on Fri 20 Nov 2026" in ended.text
    assert_refused(gore, database, "/programme end P-1", "already ended", user=LISA, channel=GORE)
    assert "*Ended*" in gore.say("/programme list", user=LISA, channel=GORE).text


def test_another_trials_programme_is_refused(gore: Slack, database: Database) -> None:
    gore.say(TRUANCY, user=LISA, channel=GORE)
    gore.say("/group setup Rānui", user=DIRECTOR, channel=RANUI)
    assert_refused(
        gore,
        database,
        "/programme show P-1",
        "belongs to Gore District",
        user=DIRECTOR,
        channel=RANUI,
    )
    assert_refused(
        gore,
        database,
        "/task add Borrow their officer programme P-1",
        "belongs to another trial",
        user=DIRECTOR,
        channel=RANUI,
    )


def _sweep(settings: Settings, database: Database, day: date) -> None:
    sweep(
        now=datetime(day.year, day.month, day.day, 9, 5, tzinfo=NZ),
        database=database,
        client=make_client(settings),
        settings=settings,
        me="test",
    )


def _contract_reminders(fake_slack: FakeSlack) -> list[tuple[str, str]]:
    return [
        (slot, target)
        for kind, target, slot in fake_slack.delivered_reminders()
        if kind == "contract"
    ]


def test_the_lead_is_reminded_60_30_and_14_days_before_a_contract_ends(
    gore: Slack, database: Database, settings: Settings, fake_slack: FakeSlack
) -> None:
    gore.say(TRUANCY, user=LISA, channel=GORE)  # ends Sun 24 Jan 2027
    gore.say("/programme add Youth hub until 24/1/2027", user=LISA, channel=GORE)
    gore.say("/programme end P-2", user=LISA, channel=GORE)  # ended: no reminders
    for day in (date(2026, 11, 24), date(2026, 11, 25), date(2026, 12, 24), date(2027, 1, 8)):
        _sweep(settings, database, day)
    # 60 days before is Wed 25 Nov; 30 days before is Christmas Day, so Thu 24 Dec; 14 days
    # before is Sunday 10 Jan, so Friday 8 Jan.
    assert _contract_reminders(fake_slack) == [
        ("2026-11-25", "P-1"),
        ("2026-12-24", "P-1"),
        ("2027-01-08", "P-1"),
    ]
    posts = [c.params for c in fake_slack.calls_to("chat.postMessage") if "metadata" in c.params]
    last = posts[-1]
    assert last["channel"] == LISA
    assert "Truancy officer" in last["text"] and "ends in 16 days (Sun 24 Jan 2027)" in last["text"]
    assert "/programme set P-1 until" in last["text"]
    _sweep(settings, database, date(2027, 1, 8))  # once only
    assert len(_contract_reminders(fake_slack)) == 3


def test_summaries_and_the_report_show_funding_and_contracts_ending(
    gore: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    gore.say(TRUANCY, user=LISA, channel=GORE)
    gore.say(
        "/programme add Breakfast clubs funding 30k until 15/1/2027 outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    gore.say("/programme add Trial lead role funding 95k coordination", user=LISA, channel=GORE)
    summary = gore.say("/summary", user=LISA, channel=GORE).text
    assert "*Funding* $245,000 across 3 running programmes" in summary
    assert "Reduce truancy $150,000" in summary and "No outcome named $95,000" in summary
    assert ":hourglass: *P-2* Breakfast clubs" in summary  # ends within 60 days
    assert "Truancy officer" not in summary.split(":hourglass:")[1]  # in 62 days
    rollup = gore.say("/summary all", user=DIRECTOR, channel=DIRECTORATE).text
    assert (
        "Programmes running: $245,000 across 1 trial, 1 contract ending within 60 days." in rollup
    )
    assert "$245,000 funded, 1 contract ending within 60 days" in rollup
    gore.say("/report draft", user=LISA, channel=GORE)
    document = Document(io.BytesIO(fake_slack.files_named(".docx")[0]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Programmes and funding" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Funding of what is running: $245,000 across 3 items, coordination included." in text
    assert "Contracts ending within 60 days: P-2 Breakfast clubs (until Fri 15 Jan 2027)." in text
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Programme"]
    cells = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert ["P-1 Truancy officer", "Hokonui Rūnanga", "$120,000"] in [c[:3] for c in cells]
    assert any(c[0] == "P-3 Trial lead role (coordination)" for c in cells)

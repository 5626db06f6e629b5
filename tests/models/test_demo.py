"""The demo: the sixteen trials of the seeds, fictional people, and idempotent loading."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import func, select

from models import demo
from models.db import Database
from models.tables import Deadline, Meeting, Member, ProgrammeItem, ProgressUpdate, Task, Trial
from models.working_days import WorkingDays

TODAY = date(2026, 11, 23)
NZ = ZoneInfo("Pacific/Auckland")
# The seeds' project leads: real people, who must not appear in the demo.
REAL_SURNAMES = (
    "Rigby",
    "Veale",
    "Hapi",
    "Annand",
    "Karaitiana",
    "Tahapehi",
    "Bennett",
    "Hawkins",
    "McConnell",
    "Jackson",
    "Loft",
    "Maraki",
    "Brunton",
    "Grant",
    "Wineera",
    "McKibben",
    "McKenzie",
)


def _counts(database: Database) -> tuple[int, ...]:
    with database.session(write=False) as session:
        return tuple(
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Trial, Member, Task, ProgressUpdate, Meeting, Deadline)
        )


def test_the_demo_holds_the_sixteen_trials_of_the_seeds(database: Database) -> None:
    with database.session() as session:
        first = demo.load(session=session, today=TODAY, tz=NZ)
    assert len(first.created) == 16 and first.existing == []
    with database.session(write=False) as session:
        trials = {t.name: t for t in session.exec(select(Trial)).all()}
        members = session.exec(select(Member)).all()
    assert set(trials) == {
        "Kawerau District",
        "Waitomo District",
        "South Waikato District",
        "Taumarunui",
        "Horowhenua District",
        "Gore District",
        "Kaikohe",
        "Rānui",
        "Waikato District",
        "Rotorua District",
        "Whakatane Township",
        "Gisborne City",
        "South Taranaki District",
        "Wairarapa",
        "Porirua",
        "South Dunedin",
    }
    rotorua, porirua, gore = trials["Rotorua District"], trials["Porirua"], trials["Gore District"]
    assert (rotorua.lead_organisation, rotorua.outcome_focus, rotorua.target_ages) == (
        "Te Taumata o Ngāti Whakaue iho Ake",
        "education",
        "0-18",
    )
    assert (porirua.outcome_focus, porirua.target_ages, porirua.region) == (
        "health",
        "0-74",
        "Wellington",
    )
    assert (gore.lead_approach, gore.lead_organisation, gore.start_date) == (
        "ngo",
        "Community Networking Trust",
        date(2011, 3, 1),
    )
    assert trials["Kawerau District"].lead_approach == "individual"
    assert trials["Kaikohe"].start_date == date(2013, 7, 1)
    assert {t.status for t in trials.values()} == {"active"}  # the programme in full swing
    became = [facts.in_2016 for facts in demo.TRIALS]
    assert became.count("transitioning") == 10 and became.count("exited") == 5
    assert {m.sector for m in members} == {"iwi", "council", "agency", "community", "provider"}
    names = " ".join(f"{m.handle} {m.display_name} {m.real_name}" for m in members)
    assert not [surname for surname in REAL_SURNAMES if surname in names]
    assert all("(demo)" in (m.real_name or "") for m in members)

    with database.session() as session:
        second = demo.load(session=session, today=TODAY, tz=NZ)
    assert second.created == [] and len(second.existing) == 16


def test_the_demo_funds_the_programmes_the_seeds_name(database: Database) -> None:
    with database.session() as session:
        demo.load(session=session, today=TODAY, tz=NZ)
    with database.session(write=False) as session:
        rows = session.exec(select(ProgrammeItem, Trial).join(Trial)).all()
    named = {(trial.name, item.name) for item, trial in rows if not item.coordination}
    assert ("Gore District", "Hokonui Tertiary High School") in named
    assert ("Kawerau District", "Full-time local truancy officer") in named
    assert ("Waitomo District", "“Number 12” youth hub") in named
    assert ("Taumarunui", "Breakfast clubs") in named
    leads = {trial.name for item, trial in rows if item.coordination}
    assert len(leads) == 16  # every trial's lead role


def test_loading_twice_changes_nothing(database: Database) -> None:
    with database.session() as session:
        demo.load(session=session, today=TODAY, tz=NZ)
    before = _counts(database)
    with database.session() as session:
        demo.load(session=session, today=TODAY, tz=NZ)
    assert _counts(database) == before
    assert before[0] == 16 and before[2] >= 16 * 5  # trials, and tasks in several states


def test_the_demo_has_no_contact_details() -> None:
    source = Path(demo.__file__).read_text()
    assert not re.search(r"\b0\d{1,2}[ -]\d{3}[ -]\d{3,4}\b", source)  # NZ phone numbers
    assert not re.search(r"[\w.]+@[\w-]+\.[\w.]+", source)  # e-mail addresses


def test_the_demos_dates_fall_on_working_days_where_each_trial_is(database: Database) -> None:
    with database.session() as session:
        demo.load(session=session, today=TODAY, tz=NZ)
    with database.session(write=False) as session:
        trials = {t.id: WorkingDays(t.region) for t in session.exec(select(Trial)).all()}
        meetings = [
            (m.trial_id, m.starts_at.astimezone(NZ).date()) for m in session.exec(select(Meeting))
        ]
        deadlines = [(d.trial_id, d.due_date) for d in session.exec(select(Deadline))]
        due = [(t.trial_id, t.due_date) for t in session.exec(select(Task)) if t.due_date]
        contracts = [
            (p.trial_id, p.until_date) for p in session.exec(select(ProgrammeItem)) if p.until_date
        ]
    for trial_id, day in meetings + deadlines + due + contracts:
        assert trials[trial_id].is_working_day(day), (trial_id, day)
    assert {day for _, day in meetings} & {TODAY + timedelta(days=n) for n in range(7, 20)}

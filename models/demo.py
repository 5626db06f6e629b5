"""Demo data: the sixteen Social Sector Trials of the seeds, with fictional people.

Trial facts (names with their macrons, regions, lead approach and organisation, outcome
focus, target ages, start dates, and what became of each in the 2016 transition) come
from the seeds; members, tasks, updates, meetings and deadlines are invented, clearly
marked "(demo)", and dated relative to today. The demo is the programme in full swing:
every trial is active, so every command does something on it; `in_2016` keeps what
happened to each trial then, for trying a change of status (README, "The demo"). No real
person or contact appears. Loading twice changes nothing: a trial that exists already is
left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models.tables import (
    AgendaItem,
    Deadline,
    Indicator,
    IndicatorValue,
    Meeting,
    MeetingAttendance,
    Member,
    Outcome,
    ProgrammeItem,
    ProgressUpdate,
    Task,
    Trial,
    pk,
)
from models.text import fold
from models.types import utcnow
from models.working_days import WorkingDays

DIRECTOR = ("UDEMODIRECTOR", "director", "Director (demo)")


@dataclass(frozen=True)
class TrialFacts:
    name: str
    code: str  # for fictional Slack IDs and channel names
    region: str
    approach: str
    organisation: str | None
    focus: str
    ages: str
    started: date
    in_2016: str  # what the transition made of it: transitioning, exited, locally-led
    iwi: str
    actions: tuple[str, ...]


OPENED_2011, OPENED_2013 = date(2011, 3, 1), date(2013, 7, 1)
T, X, L = "transitioning", "exited", "locally-led"

# From the seeds: the six 2011 trials, the ten of July 2013, and the 2016 transition (ten
# supported to a locally-led model, five exited, Rānui ready to be managed locally).
TRIALS = (
    TrialFacts(
        "Kawerau District",
        "KAW",
        "Bay of Plenty",
        "individual",
        None,
        "child-youth",
        "5-18",
        OPENED_2011,
        T,
        "Ngāti Tūwharetoa ki Kawerau",
        (
            "Employ a full-time local truancy officer",
            "Case management for young people 'off the radar'",
        ),
    ),
    TrialFacts(
        "Waitomo District",
        "WAI",
        "Waikato",
        "individual",
        None,
        "child-youth",
        "5-18",
        OPENED_2011,
        T,
        "Ngāti Maniapoto",
        ("Run the 'Number 12' youth hub", "Probation supervision at the youth hub"),
    ),
    TrialFacts(
        "South Waikato District",
        "SWK",
        "Waikato",
        "ngo",
        "Raukawa Charitable Trust",
        "child-youth",
        "5-18",
        OPENED_2011,
        T,
        "Raukawa",
        (
            "Youth music and media hub with a homework club",
            "'It's not ok to miss a day' truancy campaign",
        ),
    ),
    TrialFacts(
        "Taumarunui",
        "TAU",
        "Taumarunui",
        "individual",
        None,
        "child-youth",
        "5-18",
        OPENED_2011,
        T,
        "Ngāti Hāua",
        ("Breakfast clubs in every school", "Mentoring for recidivist youth offenders"),
    ),
    TrialFacts(
        "Horowhenua District",
        "HOR",
        "Horowhenua District",
        "ngo",
        "Life to the Max",
        "child-youth",
        "5-18",
        OPENED_2011,
        T,
        "Muaūpoko",
        (
            "Youth Coordinators in schools and the community",
            "Pathways strategy for young people at risk of disengaging",
        ),
    ),
    TrialFacts(
        "Gore District",
        "GOR",
        "Southland",
        "ngo",
        "Community Networking Trust",
        "child-youth",
        "5-18",
        OPENED_2011,
        T,
        "Hokonui Rūnanga",
        ("Rock-On truancy approach", "Hokonui Tertiary High School: NCEA level 2 focus"),
    ),
    TrialFacts(
        "Kaikohe",
        "KAI",
        "Northland",
        "ngo",
        "Te Pae Aronga Taitamariki",
        "youth",
        "12-18",
        OPENED_2013,
        T,
        "Ngāpuhi",
        ("Youth alcohol and drug service in the town centre",),
    ),
    TrialFacts(
        "Rānui",
        "RAN",
        "Auckland",
        "ngo",
        "Police Bluelight Ventures",
        "youth",
        "12-18",
        OPENED_2013,
        L,
        "Te Kawerau ā Maki",
        (
            "Work-ready programme: driver licensing and work experience",
            "Duke of Edinburgh Award places",
        ),
    ),
    TrialFacts(
        "Waikato District",
        "WKT",
        "Waikato",
        "individual",
        None,
        "youth",
        "12-18",
        OPENED_2013,
        X,
        "Waikato-Tainui",
        ("Youth employment expo",),
    ),
    TrialFacts(
        "Rotorua District",
        "ROT",
        "Bay of Plenty",
        "ngo",
        "Te Taumata o Ngāti Whakaue iho Ake",
        "education",
        "0-18",
        OPENED_2013,
        X,
        "Ngāti Whakaue",
        ("More children in quality early childhood education",),
    ),
    TrialFacts(
        "Whakatane Township",
        "WHK",
        "Bay of Plenty",
        "ngo",
        "WERA Consultants Ltd",
        "youth",
        "12-18",
        OPENED_2013,
        X,
        "Ngāti Awa",
        ("After-school youth programme",),
    ),
    TrialFacts(
        "Gisborne City",
        "GIS",
        "Gisborne",
        "individual",
        None,
        "youth",
        "12-18",
        OPENED_2013,
        T,
        "Ngāti Porou",
        ("Youth court diversion support",),
    ),
    TrialFacts(
        "South Taranaki District",
        "STK",
        "Taranaki",
        "ngo",
        "Tui Ora Ltd",
        "youth",
        "12-18",
        OPENED_2013,
        X,
        "Ngāti Ruanui",
        ("Rural youth transport to training",),
    ),
    TrialFacts(
        "Wairarapa",
        "WRP",
        "Wellington",
        "ngo",
        "Southern Wairarapa Safer Community Council",
        "youth",
        "12-18",
        OPENED_2013,
        X,
        "Rangitāne o Wairarapa",
        ("After-school study centre trial",),
    ),
    TrialFacts(
        "Porirua",
        "POR",
        "Wellington",
        "ngo",
        "Compass Health",
        "health",
        "0-74",
        OPENED_2013,
        T,
        "Ngāti Toa Rangatira",
        (
            "Antiseptic cream for primary schools and early childhood centres",
            "Hand-washing supplies and promotion in all primary schools",
        ),
    ),
    TrialFacts(
        "South Dunedin",
        "SDN",
        "Otago",
        "individual",
        None,
        "youth",
        "12-18",
        OPENED_2013,
        T,
        "Te Rūnanga o Ōtākou",
        ("Alcohol risk reduction workshops for professionals",),
    ),
)

OUTCOMES = {
    "youth": (
        "Reduce offending by young people",
        "Reduce truancy",
        "Reduce alcohol and drug harm among young people",
        "More young people in education, training or employment",
    ),
    "education": (
        "More children in quality early childhood education",
        "More students achieving NCEA level 2",
        "Successful transitions to further education, training and employment",
    ),
    "health": (
        "Fewer avoidable hospital admissions",
        "Fewer avoidable emergency department presentations",
    ),
}
OUTCOMES["child-youth"] = OUTCOMES["youth"]

# (first name, sector, organisation or None for the trial's own, role)
PEOPLE = (
    ("Aroha", "provider", None, "lead"),
    ("Hemi", "iwi", "{iwi}", "chair"),
    ("Mere", "council", "{district} Council", "member"),
    ("Tama", "agency", "NZ Police", "member"),
    ("Grace", "agency", "Ministry of Education", "member"),
    ("Sione", "community", "Community representative", "member"),
    ("Priya", "provider", "Youth health service", "member"),
)
# The seeds' locally collected figures: (trial, outcome, indicator, unit, baseline, baseline
# year, [(period, value)], source).
# Programmes and services the seeds name, per trial (amounts and contract dates invented,
# of a plausible size); every trial also has its lead's role as a coordination item.
SEED_PROGRAMMES: dict[str, tuple[tuple[str, str | None, int], ...]] = {
    "Kawerau District": (("Full-time local truancy officer", "Kawerau District Council", 85_000),),
    "Waitomo District": (("“Number 12” youth hub", "Number 12 Youth Hub Trust", 140_000),),
    "Taumarunui": (("Breakfast clubs", "Fonterra and Sanitarium (sponsors)", 18_000),),
    "Gore District": (
        ("Hokonui Tertiary High School", "Hokonui Rūnanga", 160_000),
        ("Rock-On truancy approach", "Gore High School", 35_000),
        ("Holiday programmes", "Gore District Council", 22_000),
    ),
    "Horowhenua District": (("Youth Workers in Schools", "Horowhenua Youth Services", 95_000),),
    "South Waikato District": (
        ("Activating youth fund", "South Waikato District Council", 40_000),
    ),
}
LEAD_ROLE_FUNDING = 95_000

SEED_SOURCE = "Locally collected data, as published by the Social Sector Trials (2014)"
TRUANCY = "Persistent (non-enrolled) truancy cases closed"
INDICATORS = (
    ("South Waikato District", "Reduce truancy", TRUANCY, "%", 21, "2011", [("2013", 78)]),
    ("Waitomo District", "Reduce truancy", TRUANCY, "%", 18, "2011", [("2013", 100)]),
    (
        "Waitomo District",
        "More young people in education, training or employment",
        "Te Kuiti High School leavers going on to tertiary education",
        "%",
        18,
        "2010",
        [("2013", 55)],
    ),
    ("Taumarunui", "Reduce truancy", TRUANCY, "%", 7, "2011", [("2013", 89)]),
    (
        "Taumarunui",
        "More young people in education, training or employment",
        "School leavers with NCEA level 2",
        "%",
        65,
        "2011",
        [("2012", 78)],
    ),
    ("Kawerau District", "Reduce truancy", TRUANCY, "%", 21, "2010", [("2013", 92)]),
    (
        "Kawerau District",
        "Reduce offending by young people",
        "Youth offending, change on the previous year",
        "%",
        None,
        None,
        [("2012/13", -40)],
    ),
    ("Horowhenua District", "Reduce truancy", TRUANCY, "%", 21, "2010", [("2013", 91)]),
    (
        "Horowhenua District",
        "Reduce offending by young people",
        "Youth apprehensions, change on the previous year",
        "%",
        None,
        None,
        [("2012/13", -25)],
    ),
    ("Gore District", "Reduce truancy", TRUANCY, "%", 18, "2011", [("2013", 96)]),
    (
        "Gore District",
        "Reduce truancy",
        "Unjustified absences in secondary schools, change since term 1 2012",
        "%",
        None,
        None,
        [("2013", -66.75)],
    ),
)

STATES = ("on-track", "at-risk", "blocked", "done", "not-started", "on-track", "done")


@dataclass(frozen=True)
class DemoResult:
    created: list[str]
    existing: list[str]


def demo_user(trial: TrialFacts, first_name: str) -> str:
    return f"UDEMO{trial.code}{first_name.upper()}"


def channel_of(trial: TrialFacts) -> str:
    return f"CDEMO{trial.code}"


def _next_report_due(today: date) -> date:
    """Six-monthly reports to Ministers: for the periods ending 30 June and 31 December."""
    for candidate in (
        date(today.year, 7, 31),
        date(today.year + 1, 1, 31),
        date(today.year + 1, 7, 31),
    ):
        if candidate >= today:
            return candidate
    return date(today.year + 1, 7, 31)  # pragma: no cover


def load(*, session: Session, today: date, tz: ZoneInfo) -> DemoResult:
    """Load the sixteen trials (each only if absent) with their demo groups and plans."""
    existing = {t.name_key for t in session.exec(select(Trial)).all()}
    result = DemoResult(created=[], existing=[])
    now = utcnow()
    for number, facts in enumerate(TRIALS):
        if fold(facts.name) in existing:
            result.existing.append(facts.name)
            continue
        _load_trial(session, facts, number, today, now, tz)
        result.created.append(facts.name)
    return result


def _load_trial(
    session: Session, facts: TrialFacts, number: int, today: date, now: datetime, tz: ZoneInfo
) -> None:
    trial = Trial(
        name=facts.name,
        name_key=fold(facts.name),
        region=facts.region,
        lead_approach=facts.approach,
        lead_organisation=facts.organisation,
        outcome_focus=facts.focus,
        target_ages=facts.ages,
        start_date=facts.started,
        status="active",
        channel_id=channel_of(facts),
    )
    session.add(trial)
    session.flush()
    days = WorkingDays(facts.region)  # the demo's dates fall on the trial's working days
    district = facts.name.replace(" District", "").replace(" Township", "").replace(" City", "")
    members = []
    for first, sector, organisation, role in PEOPLE:
        org = (organisation or facts.organisation or "Trial lead").format(
            iwi=facts.iwi, district=district
        )
        member = Member(
            trial_id=pk(trial),
            slack_user_id=demo_user(facts, first),
            handle=f"{first.lower()}.{facts.code.lower()}",
            display_name=f"{first} ({facts.code.title()})",
            real_name=f"{first} of {district} (demo)",
            sector=sector,
            organisation=org,
            role=role,
        )
        session.add(member)
        members.append(member)
    session.flush()
    outcomes = [
        Outcome(trial_id=pk(trial), name=name, name_key=fold(name))
        for name in OUTCOMES[facts.focus]
    ]
    session.add_all(outcomes)
    session.flush()
    titles = (
        list(facts.actions)
        + [f"Quarterly data report on {outcome.name.lower()}" for outcome in outcomes[:2]]
        + ["Update the Action Plan with the advisory group", "Map local youth services"]
    )
    for index, title in enumerate(titles):
        state = STATES[(index + number) % len(STATES)]
        owner = members[(index + 1) % len(members)]
        due = days.on_or_after(today + timedelta(days=(index * 9 + number) % 50 - 15))
        touched = now - timedelta(days=(index * 11 + number) % 40)
        task = Task(
            trial_id=pk(trial),
            outcome_id=pk(outcomes[index % len(outcomes)]),
            title=title,
            owner_member_id=pk(owner),
            due_date=due,
            status=state,
            percent=100 if state == "done" else (index * 23 + number * 7) % 90,
            created_by=members[0].slack_user_id,
            created_at=now - timedelta(days=60),
            updated_at=touched,
            completed_at=touched if state == "done" else None,
        )
        session.add(task)
        session.flush()
        if state != "not-started":
            session.add(
                ProgressUpdate(
                    task_id=pk(task),
                    author_user_id=owner.slack_user_id,
                    status=state,
                    percent=task.percent,
                    source="command",
                    created_at=touched,
                    text={
                        "blocked": "Waiting on a funding decision from the agencies.",
                        "at-risk": "Fewer referrals than planned this term.",
                        "done": "Finished and reported to the group.",
                    }.get(state, "Going to plan; next step agreed at the hui."),
                )
            )
    held = Meeting(
        trial_id=pk(trial),
        created_by=members[0].slack_user_id,
        status="held",
        starts_at=datetime.combine(
            days.on_or_before(today - timedelta(days=21)), time(10), tz
        ).astimezone(UTC),
        place=f"{district} community hall",
        minutes="Reviewed the Action Plan; agreed to share truancy figures monthly.",
    )
    coming = Meeting(
        trial_id=pk(trial),
        created_by=members[0].slack_user_id,
        starts_at=datetime.combine(
            days.on_or_after(today + timedelta(days=7 + number % 7)), time(10), tz
        ).astimezone(UTC),
        place=f"{district} community hall",
    )
    session.add_all([held, coming])
    session.flush()
    for member in members[: 4 + number % 3]:
        session.add(MeetingAttendance(meeting_id=pk(held), member_id=pk(member)))
    for position, (who, title) in enumerate(
        (
            (members[1], "Report back from the iwi hui"),
            (members[3], "Youth offending figures for the quarter"),
            (members[0], "Six-monthly report to Ministers: draft"),
        ),
        start=1,
    ):
        session.add(
            AgendaItem(
                meeting_id=pk(coming),
                title=title,
                proposer_user_id=who.slack_user_id,
                position=position,
            )
        )
    _load_indicators(session, facts, outcomes)
    _load_programmes(session, trial, facts, outcomes, number, today, days)
    session.add(
        Deadline(
            trial_id=pk(trial),
            title="Six-monthly progress report to Ministers",
            due_date=days.on_or_after(_next_report_due(today)),
            responsible_member_id=pk(members[0]),
            created_by=DIRECTOR[0],
        )
    )
    session.add(
        Deadline(
            trial_id=pk(trial),
            title="Monthly report to the Joint Venture Board",
            due_date=days.on_or_after(today + timedelta(days=(number % 12) - 3)),
            responsible_member_id=pk(members[0]),
            created_by=DIRECTOR[0],
        )
    )


def _load_programmes(
    session: Session,
    trial: Trial,
    facts: TrialFacts,
    outcomes: list[Outcome],
    number: int,
    today: date,
    days: WorkingDays,
) -> None:
    """The seeds' programmes for the trial, with contracts ending from a month to a year
    and a half on, and its lead's role as a coordination item."""
    assert set(SEED_PROGRAMMES) <= {t.name for t in TRIALS}
    for index, (name, provider, dollars) in enumerate(SEED_PROGRAMMES.get(facts.name, ())):
        session.add(
            ProgrammeItem(
                trial_id=pk(trial),
                name=name,
                provider=provider,
                funding_cents=dollars * 100,
                from_date=OPENED_2013 if facts.started >= OPENED_2013 else OPENED_2011,
                until_date=days.on_or_after(today + timedelta(days=35 + 150 * index + 7 * number)),
                outcome_id=pk(outcomes[index % len(outcomes)]),
                created_by=DIRECTOR[0],
            )
        )
    role = "Trial lead (NGO contract)" if facts.approach == "ngo" else "Trial lead (employed)"
    session.add(
        ProgrammeItem(
            trial_id=pk(trial),
            name=role,
            provider=facts.organisation,
            funding_cents=LEAD_ROLE_FUNDING * 100,
            from_date=facts.started,
            until_date=days.on_or_after(today + timedelta(days=210 + 5 * number)),
            coordination=True,
            created_by=DIRECTOR[0],
        )
    )


def _load_indicators(session: Session, facts: TrialFacts, outcomes: list[Outcome]) -> None:
    """The seeds' published figures, where the seeds have them for this trial."""
    by_name = {o.name: o for o in outcomes}
    for trial_name, outcome_name, name, unit, baseline, year, values in INDICATORS:
        if trial_name != facts.name:
            continue
        indicator = Indicator(
            outcome_id=pk(by_name[outcome_name]),
            name=name,
            unit=unit,
            baseline_value=baseline,
            baseline_period=year,
            created_by=DIRECTOR[0],
        )
        session.add(indicator)
        session.flush()
        session.add_all(
            [
                IndicatorValue(
                    indicator_id=pk(indicator),
                    period=period,
                    value=value,
                    source=SEED_SOURCE,
                    recorded_by=DIRECTOR[0],
                )
                for period, value in values
            ]
        )

"""The six-monthly progress report draft: one document model, written as Word (ui/word.py)
and as Markdown. It opens with an executive summary (status, the three things most needing
attention, headline indicators); empty sections say "Nothing recorded." rather than
disappearing; overdue actions are flagged with how overdue they are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.indicators import Series
from models.programmes import ItemRow
from models.programmes import funding as programme_funding
from models.reports import TaskLine, TrialReport, deadline_outcome
from models.summaries import CLOSED_STATUSES, Measures
from ui import word
from ui.blocks.group import SECTOR_TITLES
from ui.blocks.indicators import number
from ui.formatting import format_date, format_datetime, format_day_of, format_money, plural
from ui.i18n import N_, Words, _
from ui.parsing import Period

NOTHING = N_("Nothing recorded.")
ALERT = "OVERDUE"
ALERTS = re.compile(rf"{ALERT} by \d+ days?")  # shown in bold red
STATUS_WORDS = Words({"red": N_("Red"), "amber": N_("Amber"), "green": N_("Green")})
STATUS_FILLS = {"red": "F4C7C3", "amber": "FCE8B2", "green": "B7E1CD", "closed": "E0E0E0"}
WIDE_4 = [5.0, 3.4, 4.2, 4.0]  # cm, within A4's text width (word.TEXT_WIDTH_CM)
ROLLUP_WIDTHS = [3.4, 1.7, 2.1, 1.9, 1.9, 5.6]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # cm
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → RGB


@dataclass
class Section:
    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    table: Table | None = None


@dataclass
class Draft:
    title: str
    subtitle: str
    subject: str  # the trial, or "Social Sector Trials"
    period_label: str
    running_header: str
    created: datetime
    sections: list[Section] = field(default_factory=list)


def period_words(period: Period) -> str:
    return _("{date} to {date2}").format(
        date=format_date(period.start), date2=format_date(period.end)
    )


def status_words(m: Measures) -> str:
    """`Red`, `Amber`, `Green`, or what became of a closed trial (`Exited`)."""
    return STATUS_WORDS.get(m.status) or m.trial.status.capitalize()


def overdue_by(due: date | None, today: date) -> str | None:
    """`OVERDUE by 12 days` for an open action past its due date, else None."""
    if due is None or due >= today:
        return None
    days = (today - due).days
    return _("{alert} by {days} day{value}").format(
        alert=ALERT, days=days, value="s" if days != 1 else ""
    )


def _task(line: TaskLine, today: date, tz: ZoneInfo, *, with_update: bool) -> str:
    text = f"T-{line.id} {line.title} ({line.percent}%)"
    late = None if line.completed_at is not None else overdue_by(line.due_date, today)
    if late:
        text = f"{late}: {text}"
    if line.completed_at is not None:
        text += _(", completed {date}").format(date=format_day_of(line.completed_at, tz))
    elif line.due_date is not None:
        text += _(", due {date}").format(date=format_date(line.due_date))
    if with_update and line.latest_update:
        text += _(" — latest update: “{latest_update}”").format(latest_update=line.latest_update)
    return text


def _excerpt(text: str, most: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1].rstrip() + "…"


def indicator_row(series: Series, period: Period) -> list[str]:
    """Indicator, baseline, the latest value within the period (or, with none, the last one
    recorded with its period), source."""
    indicator = series.indicator
    baseline = (
        "—"
        if indicator.baseline_value is None
        else number(indicator.baseline_value, indicator.unit)
        + (f" ({indicator.baseline_period})" if indicator.baseline_period else "")
    )
    latest = series.latest_in(period)
    if latest is not None:
        shown = f"{number(latest.value, indicator.unit)} ({latest.period})"
        source = latest.source or "—"
    elif series.latest is not None:
        last = series.latest
        shown = _("None in this period; last recorded {number} ({period})").format(
            number=number(last.value, indicator.unit), period=last.period
        )
        source = last.source or "—"
    else:
        shown, source = _("None recorded yet"), "—"
    target = (
        _(", target {number}").format(number=number(indicator.target_value, indicator.unit))
        if indicator.target_value is not None
        else ""
    )
    return [f"I-{indicator.id} {indicator.name}{target}", baseline, shown, source]


def _attention(report: TrialReport, m: Measures, today: date, tz: ZoneInfo) -> list[str]:
    """What most needs attention, worst first: overdue deadlines, overdue actions (longest
    overdue first), blocked and at-risk actions, then the rating's other reasons."""
    found = [
        _("{overdue_by}: D-{d} {title}, due {date}").format(
            overdue_by=overdue_by(d.due_date, today),
            d=d.id,
            title=d.title,
            date=format_date(d.due_date),
        )
        for d in m.overdue_deadlines
    ]
    open_lines = sorted(report.in_progress + report.at_risk, key=lambda t: t.due_date or date.max)
    found += [
        _task(t, today, tz, with_update=False) for t in open_lines if overdue_by(t.due_date, today)
    ]
    found += [
        (_("Blocked: ") if t.status == "blocked" else _("At risk: "))
        + _task(t, today, tz, with_update=True)
        for t in report.at_risk
        if not overdue_by(t.due_date, today)
    ]
    found += [  # overdue and blocked are listed above; an all-clear says nothing here
        str(phrase) for phrase in m.phrases if phrase.about not in ("overdue", "blocked", "clear")
    ]
    return found


def trial_sections(report: TrialReport, today: date, tz: ZoneInfo, level: int = 1) -> list[Section]:
    """The sections of one trial's report."""
    trial = report.trial
    approach = {"ngo": "NGO", "individual": _("Committed individual")}.get(
        trial.lead_approach or "", _("not recorded")
    )
    sections = [
        Section(
            trial.name + (f" ({trial.status})" if trial.status in CLOSED_STATUSES else ""),
            level,
            paragraphs=[
                _("Period: {period_words}. Region: {value}. Lead approach: {approach}").format(
                    period_words=period_words(report.period),
                    value=trial.region or _("not recorded"),
                    approach=approach,
                )
                + (f" ({trial.lead_organisation})" if trial.lead_organisation else "")
                + _(". Trial status: {status}.").format(status=trial.status)
            ],
        )
    ]
    outcome_ids = [o.id for o in report.outcomes] + [None]
    names = {o.id: o.name for o in report.outcomes} | {None: _("Actions without an outcome")}
    for outcome_id in outcome_ids:
        completed = [t for t in report.completed if t.outcome_id == outcome_id]
        progress = [t for t in report.in_progress if t.outcome_id == outcome_id]
        risky = [t for t in report.at_risk if t.outcome_id == outcome_id]
        series = report.indicators.get(outcome_id or 0, []) if outcome_id else []
        if outcome_id is None and not (completed or progress or risky):
            continue
        section = Section(_("Outcome: {names}").format(names=names[outcome_id]), level + 1)
        if outcome_id is not None:
            rows = [indicator_row(s, report.period) for s in series]
            section.table = (
                Table(["Indicator", "Baseline", _("Latest in the period"), "Source"], rows, WIDE_4)
                if rows
                else None
            )
            if not rows:
                section.paragraphs.append(_("Indicators: {nothing}").format(nothing=_(NOTHING)))
        section.bullets = (
            [
                _("Completed: {task}").format(task=_task(t, today, tz, with_update=False))
                for t in completed
            ]
            + [
                _("In progress: {task}").format(task=_task(t, today, tz, with_update=True))
                for t in progress
            ]
            + [
                f"{_('Blocked') if t.status == 'blocked' else _('At risk')}: "
                + _task(t, today, tz, with_update=True)
                for t in risky
            ]
        )
        for label, found in (
            (_("Actions completed in the period"), completed),
            (_("Actions in progress"), progress),
            (_("Actions at risk or blocked"), risky),
        ):
            if not found:
                section.paragraphs.append(f"{label}: {_(NOTHING)}")
        sections.append(section)
    meetings = Section(_("Meetings held"), level + 1)
    for record in report.meetings:
        present = ", ".join(f"{SECTOR_TITLES[s]} {n}" for s, n in sorted(record.sectors.items()))
        missing = ", ".join(SECTOR_TITLES[s] for s in record.absent)
        meetings.bullets.append(
            _("M-{meeting} {when}: attendance {value}").format(
                meeting=record.meeting.id,
                when=format_datetime(record.meeting.starts_at, tz),
                value=present or _("not recorded"),
            )
            + (_("; not at the table: {missing}").format(missing=missing) if missing else "")
            + _(". Decisions: ")
            + (
                "; ".join(f"{title}: {decision}" for title, decision in record.decisions)
                or _(NOTHING)
            )
            + (
                _(". Minutes: {excerpt}").format(excerpt=_excerpt(record.meeting.minutes))
                if record.meeting.minutes
                else ""
            )
        )
    if not meetings.bullets:
        meetings.paragraphs.append(_(NOTHING))
    deadlines = Section(_("Reporting deadlines"), level + 1)
    deadlines.bullets = [
        _("D-{d} {title}, due {date}: {deadline_outcome}").format(
            d=d.id,
            title=d.title,
            date=format_date(d.due_date),
            deadline_outcome=deadline_outcome(d, today, tz),
        )
        for d in report.deadlines
    ]
    if not deadlines.bullets:
        deadlines.paragraphs.append(_(NOTHING))
    sections_after = [programmes_section(report, today, level + 1)]
    if report.review_deadline is not None:
        sections_after.append(review_section(report, today, level + 1))
    risks = Section(_("Open risks"), level + 1)
    risks.bullets = [_task(t, today, tz, with_update=True) for t in report.at_risk]
    risks.bullets += [
        _("D-{d} {title} was due {date} and is not in").format(
            d=d.id, title=d.title, date=format_date(d.due_date)
        )
        for d in report.deadlines
        if deadline_outcome(d, today, tz) == "missed"
    ]
    if not risks.bullets:
        risks.paragraphs.append(_(NOTHING))
    return [*sections, meetings, deadlines, *sections_after, risks]


PROGRAMME_WIDTHS = [4.4, 3.2, 2.2, 3.6, 3.2]
REVIEW_WIDTHS = [4.6, 2.4, 3.6, 6.0]


def contract_words(row: ItemRow, today: date) -> str:
    item = row.item
    if item.ended_on is not None:
        return _("ended {date}").format(date=format_date(item.ended_on))
    if item.until_date is None:
        return (
            _("from {date}").format(date=format_date(item.from_date))
            if item.from_date
            else _("no contract dates")
        )
    ended = _(" (ended)") if item.until_date < today else ""
    if item.from_date is None:
        return _("until {date}{ended}").format(date=format_date(item.until_date), ended=ended)
    return _("{date} to {date2}{ended}").format(
        date=format_date(item.from_date), date2=format_date(item.until_date), ended=ended
    )


def programmes_section(report: TrialReport, today: date, level: int) -> Section:
    """The trial's programmes and services, coordination items, and funding by outcome."""
    section = Section(_("Programmes and funding"), level)
    funding = programme_funding(report.programmes, today)
    if not report.programmes:
        section.paragraphs.append(_(NOTHING))
        return section
    by_outcome = "; ".join(f"{name} {format_money(c)}" for name, c in funding.by_outcome)
    section.paragraphs.append(
        _("Funding of what is running: {money} across {items}, coordination included").format(
            money=format_money(funding.total_cents), items=plural(funding.running, "item")
        )
        + (_(". By outcome: {by_outcome}.").format(by_outcome=by_outcome) if by_outcome else ".")
    )
    if funding.ending_soon:
        section.paragraphs.append(
            _("Contracts ending within 60 days: ")
            + "; ".join(
                f"P-{r.item.id} {r.item.name} ({contract_words(r, today)})"
                for r in funding.ending_soon
            )
            + "."
        )
    section.table = Table(
        ["Programme", "Provider", "Funding", "Contract", "Outcome"],
        [
            [
                f"P-{r.item.id} {r.item.name}"
                + (_(" (coordination)") if r.item.coordination else ""),
                r.item.provider or "",
                format_money(r.item.funding_cents) if r.item.funding_cents is not None else "",
                contract_words(r, today),
                r.outcome_name or "",
            ]
            for r in report.programmes
        ],
        PROGRAMME_WIDTHS,
    )
    return section


def review_section(report: TrialReport, today: date, level: int) -> Section:
    """The transition review: each item's decision, who carries it, how it is funded after."""
    section = Section(_("Transition review"), level)
    deadline = report.review_deadline
    assert deadline is not None
    decided = [r for r in report.programmes if r.decision is not None]
    section.paragraphs.append(
        _("{count} of {items} decided; ").format(
            count=len(decided), items=plural(len(report.programmes), "item")
        )
        + (
            "complete."
            if decided and len(decided) == len(report.programmes)
            else _("due {date}.").format(date=format_date(deadline.due_date))
        )
    )
    words = {"continue": _("Continue locally"), "integrate": "Integrate", "exit": "Exit"}
    section.table = Table(
        ["Item", "Decision", _("Carried by"), "Note"],
        [
            [
                f"P-{r.item.id} {r.item.name}",
                words[r.decision.decision] if r.decision else _("To decide"),
                (r.decision.carried_by or "") if r.decision else "",
                (r.decision.note or "") if r.decision else "",
            ]
            for r in report.programmes
        ],
        REVIEW_WIDTHS,
    )
    return section


def trial_draft(
    report: TrialReport, m: Measures, today: date, tz: ZoneInfo, now: datetime
) -> Draft:
    trial = report.trial
    draft = Draft(
        _("{trial}: progress report (draft)").format(trial=trial.name),
        _(
            "For the period {period_words}. Drafted {when} from the advisory "
            "group's records; check before sending."
        ).format(period_words=period_words(report.period), when=format_datetime(now, tz)),
        subject=trial.name,
        period_label=report.period.label,
        running_header=_("{trial} · progress report, {period_words} · DRAFT").format(
            trial=trial.name, period_words=period_words(report.period)
        ),
        created=now,
    )
    summary = Section(_("Executive summary"), 1)
    summary.paragraphs.append(
        _("Status: {status_words}. {reasons}.").format(
            status_words=status_words(m), reasons="; ".join(m.reasons)
        )
    )
    attention = _attention(report, m, today, tz)[:3]
    summary.paragraphs.append(
        _("Most needing attention:") if attention else _("Nothing needs particular attention.")
    )
    summary.bullets = attention
    headline = Section(_("Headline indicators"), 2)
    rows = [indicator_row(s, report.period) for s in m.indicators]
    if rows:
        headline.table = Table(
            ["Indicator", "Baseline", _("Latest in the period"), "Source"], rows, WIDE_4
        )
    else:
        headline.paragraphs.append(_(NOTHING))
    draft.sections = [summary, headline, *trial_sections(report, today, tz)]
    return draft


def national_draft(
    reports: list[TrialReport],
    rows: list[Measures],
    period: Period,
    today: date,
    tz: ZoneInfo,
    now: datetime,
) -> Draft:
    draft = Draft(
        _("Social Sector Trials: national progress report (draft)"),
        _(
            "For the period {period_words}, for the Joint Venture Board. Drafted "
            "{when} from the trials' records; check before sending."
        ).format(period_words=period_words(period), when=format_datetime(now, tz)),
        subject=_("Social Sector Trials"),
        period_label=period.label,
        running_header=(
            _("Social Sector Trials · national progress report, {period_words} · DRAFT").format(
                period_words=period_words(period)
            )
        ),
        created=now,
    )
    counts = {
        w: sum(1 for m in rows if status_words(m) == w)
        for w in dict.fromkeys(map(status_words, rows))
    }
    summary = Section(_("Executive summary"), 1)
    summary.paragraphs.append(
        _("{count} trials: ").format(count=len(rows))
        + ", ".join(f"{n} {w.lower()}" for w, n in counts.items())
        + "."
    )
    needing = [m for m in rows if m.status in ("red", "amber")][:3]
    summary.paragraphs.append(
        _("The trials most needing attention:")
        if needing
        else _("No trial needs particular attention.")
    )
    summary.bullets = [
        f"{m.trial.name} ({status_words(m)}): {'; '.join(m.reasons)}" for m in needing
    ]
    headline = Section(_("Headline indicators"), 2)
    indicator_rows = [
        [m.trial.name, *indicator_row(s, period)[:3]] for m in rows for s in m.indicators[:1]
    ]
    if indicator_rows:
        headline.table = Table(
            ["Trial", "Indicator", "Baseline", _("Latest in the period")],
            indicator_rows,
            [3.4, 5.4, 3.4, 4.4],
        )
    else:
        headline.paragraphs.append(_(NOTHING))
    rollup = Section(_("National roll-up"), 1, table=rollup_table(rows))
    draft.sections = [summary, headline, rollup]
    for report in reports:
        draft.sections += trial_sections(report, today, tz)
    return draft


def rollup_table(rows: list[Measures]) -> Table:
    """One row per trial, its status in words and colour; exited trials marked."""
    table = Table(["Trial", "Status", "Done", "Overdue", "Blocked", "Reasons"], [], ROLLUP_WIDTHS)
    for index, m in enumerate(rows):
        closed = m.trial.status in CLOSED_STATUSES
        table.rows.append(
            [
                m.trial.name + (f" ({m.trial.status})" if closed else ""),
                status_words(m),
                f"{m.done}/{m.total} ({m.percent}%)",
                str(m.overdue),
                str(m.blocked),
                "; ".join(m.reasons),
            ]
        )
        table.fills[(index, 1)] = STATUS_FILLS[m.status]
    return table


def to_docx(draft: Draft) -> bytes:
    return word.to_docx(draft, alert=ALERTS)


def to_markdown(draft: Draft) -> str:
    lines = [f"# {draft.title}", "", draft.subtitle, ""]
    for section in draft.sections:
        lines += [f"{'#' * min(section.level + 1, 6)} {section.heading}", ""]
        lines += [paragraph + "\n" for paragraph in section.paragraphs]
        if section.table:
            lines.append("| " + " | ".join(section.table.header) + " |")
            lines.append("|" + "---|" * len(section.table.header))
            lines += [
                "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |"
                for row in section.table.rows
            ]
            lines.append("")
        lines += [f"- {ALERTS.sub(lambda found: f'**{found[0]}**', b)}" for b in section.bullets]
        if section.bullets:
            lines.append("")
    return "\n".join(lines)

"""The six-monthly progress report draft: one document model, written as Word (python-docx)
and as Markdown. Empty sections say "Nothing recorded." rather than disappearing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from docx import Document

from models.reports import TaskLine, TrialReport, deadline_outcome
from models.summaries import Measures
from ui.blocks.group import SECTOR_TITLES
from ui.blocks.indicators import number
from ui.formatting import format_date, format_datetime, format_day_of
from ui.parsing import Period, parse_period

NOTHING = "Nothing recorded."


@dataclass
class Section:
    heading: str
    level: int
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass
class Draft:
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)


def period_words(period: Period) -> str:
    return f"{format_date(period.start)} to {format_date(period.end)}"


def overdue_by(due: date | None, today: date) -> str | None:
    """`OVERDUE by 12 days` for an open action past its due date, else None."""
    if due is None or due >= today:
        return None
    days = (today - due).days
    return f"OVERDUE by {days} day{'s' if days != 1 else ''}"


def _task(line: TaskLine, today: date, tz: ZoneInfo, *, with_update: bool) -> str:
    text = f"T-{line.id} {line.title} ({line.percent}%)"
    late = None if line.completed_at is not None else overdue_by(line.due_date, today)
    if late:
        text = f"{late}: {text}"
    if line.completed_at is not None:
        text += f", completed {format_day_of(line.completed_at, tz)}"
    elif line.due_date is not None:
        text += f", due {format_date(line.due_date)}"
    if with_update and line.latest_update:
        text += f" — latest update: “{line.latest_update}”"
    return text


def trial_sections(report: TrialReport, today: date, tz: ZoneInfo, level: int = 1) -> list[Section]:
    """The sections of one trial's report."""
    trial = report.trial
    approach = {"ngo": "NGO", "individual": "Committed individual"}.get(
        trial.lead_approach or "", "not recorded"
    )
    sections = [
        Section(
            trial.name,
            level,
            paragraphs=[
                f"Period: {period_words(report.period)}. Region: {trial.region or 'not recorded'}. "
                f"Lead approach: {approach}"
                + (f" ({trial.lead_organisation})" if trial.lead_organisation else "")
                + f". Status: {trial.status}."
            ],
        )
    ]
    outcome_ids = [o.id for o in report.outcomes] + [None]
    names = {o.id: o.name for o in report.outcomes} | {None: "Actions without an outcome"}
    for outcome_id in outcome_ids:
        completed = [t for t in report.completed if t.outcome_id == outcome_id]
        progress = [t for t in report.in_progress if t.outcome_id == outcome_id]
        risky = [t for t in report.at_risk if t.outcome_id == outcome_id]
        series = report.indicators.get(outcome_id or 0, []) if outcome_id else []
        if outcome_id is None and not (completed or progress or risky):
            continue
        section = Section(f"Outcome: {names[outcome_id]}", level + 1)
        if outcome_id is not None:
            rows = []
            for s in series:
                latest = next(
                    (
                        v
                        for v in reversed(s.values)
                        if parse_period(v.period).start <= report.period.end
                    ),
                    None,
                )
                baseline = (
                    "—"
                    if s.indicator.baseline_value is None
                    else (
                        number(s.indicator.baseline_value, s.indicator.unit)
                        + (
                            f" ({s.indicator.baseline_period})"
                            if s.indicator.baseline_period
                            else ""
                        )
                    )
                )
                rows.append(
                    [
                        f"I-{s.indicator.id} {s.indicator.name}",
                        baseline,
                        f"{number(latest.value, s.indicator.unit)} ({latest.period})"
                        if latest
                        else "—",
                        (latest.source or "—") if latest else "—",
                    ]
                )
            section.table = (["Indicator", "Baseline", "Latest", "Source"], rows) if rows else None
            if not rows:
                section.paragraphs.append(f"Indicators: {NOTHING}")
        section.bullets = (
            [f"Completed: {_task(t, today, tz, with_update=False)}" for t in completed]
            + [f"In progress: {_task(t, today, tz, with_update=True)}" for t in progress]
            + [
                f"{'Blocked' if t.status == 'blocked' else 'At risk'}: "
                + _task(t, today, tz, with_update=True)
                for t in risky
            ]
        )
        for label, found in (
            ("Actions completed in the period", completed),
            ("Actions in progress", progress),
            ("Actions at risk or blocked", risky),
        ):
            if not found:
                section.paragraphs.append(f"{label}: {NOTHING}")
        sections.append(section)
    meetings = Section("Meetings held", level + 1)
    for record in report.meetings:
        present = ", ".join(f"{SECTOR_TITLES[s]} {n}" for s, n in sorted(record.sectors.items()))
        missing = ", ".join(SECTOR_TITLES[s] for s in record.absent)
        meetings.bullets.append(
            f"M-{record.meeting.id} {format_datetime(record.meeting.starts_at, tz)}: "
            f"attendance {present or 'not recorded'}"
            + (f"; not at the table: {missing}" if missing else "")
            + f". Decisions: {record.meeting.minutes or NOTHING}"
        )
    if not meetings.bullets:
        meetings.paragraphs.append(NOTHING)
    deadlines = Section("Reporting deadlines", level + 1)
    deadlines.bullets = [
        f"D-{d.id} {d.title}, due {format_date(d.due_date)}: {deadline_outcome(d, today, tz)}"
        for d in report.deadlines
    ]
    if not deadlines.bullets:
        deadlines.paragraphs.append(NOTHING)
    risks = Section("Open risks", level + 1)
    risks.bullets = [_task(t, today, tz, with_update=True) for t in report.at_risk]
    risks.bullets += [
        f"D-{d.id} {d.title} was due {format_date(d.due_date)} and is not in"
        for d in report.deadlines
        if deadline_outcome(d, today, tz) == "missed"
    ]
    if not risks.bullets:
        risks.paragraphs.append(NOTHING)
    return [*sections, meetings, deadlines, risks]


def trial_draft(report: TrialReport, today: date, tz: ZoneInfo) -> Draft:
    draft = Draft(
        f"{report.trial.name}: progress report (draft)",
        f"For the period {period_words(report.period)}. Drafted "
        f"{format_date(today)} from the advisory group's records; check before sending.",
    )
    draft.sections = trial_sections(report, today, tz)
    return draft


def national_draft(
    reports: list[TrialReport], rows: list[Measures], period: Period, today: date, tz: ZoneInfo
) -> Draft:
    draft = Draft(
        "Social Sector Trials: national progress report (draft)",
        f"For the period {period_words(period)}, for the Joint Venture Board. Drafted "
        f"{format_date(today)} from the trials' records; check before sending.",
    )
    rollup = Section(
        "National roll-up",
        1,
        table=(
            ["Trial", "Status", "Done", "Overdue", "Blocked", "Reasons"],
            [
                [
                    m.trial.name,
                    m.status,
                    f"{m.done}/{m.total} ({m.percent}%)",
                    str(m.overdue),
                    str(m.blocked),
                    "; ".join(m.reasons),
                ]
                for m in rows
            ],
        ),
    )
    draft.sections.append(rollup)
    for report in reports:
        draft.sections += trial_sections(report, today, tz)
    return draft


def to_docx(draft: Draft) -> bytes:
    document = Document()
    document.add_heading(draft.title, 0)
    document.add_paragraph(draft.subtitle)
    for section in draft.sections:
        document.add_heading(section.heading, min(section.level, 9))
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.table:
            header, rows = section.table
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        for bullet in section.bullets:
            document.add_paragraph(bullet, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_markdown(draft: Draft) -> str:
    lines = [f"# {draft.title}", "", draft.subtitle, ""]
    for section in draft.sections:
        lines += [f"{'#' * min(section.level + 1, 6)} {section.heading}", ""]
        lines += [paragraph + "\n" for paragraph in section.paragraphs]
        if section.table:
            header, rows = section.table
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += [
                "| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows
            ]
            lines.append("")
        lines += [f"- {bullet}" for bullet in section.bullets]
        if section.bullets:
            lines.append("")
    return "\n".join(lines)

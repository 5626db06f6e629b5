"""A trial's channel canvas as markdown: the trial at a glance, the Action Plan by outcome,
the next meeting with its agenda, the open reporting deadlines and the headline indicators,
each under a heading of its own (so that it can be replaced alone). Dates are the trial's
local ones; what people wrote is shown as text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from models.deadlines import DeadlineRow
from models.indicators import Series
from models.summaries import Measures
from models.tables import AgendaItem, Member
from models.tasks import TaskRow
from ui.blocks.group import SECTOR_TITLES
from ui.blocks.indicators import number
from ui.blocks.summaries import RAG_WORDS
from ui.blocks.tasks import STATUS_WORDS
from ui.formatting import format_date, format_datetime
from ui.i18n import N_, _, label

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#])")  # emphasis, links, tags, headings


def text(value: str | None) -> str:
    """People's words as plain text in canvas markdown (nothing becomes a link or heading)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join((value or "").split()))


def person(user_id: str) -> str:
    """A mention, as canvases write it."""
    return f"![](@{user_id})"


@dataclass
class CanvasData:
    measures: Measures
    leads: list[Member]
    tasks: list[TaskRow]  # the trial's tasks, open and done
    agenda: list[AgendaItem]  # of the next meeting
    deadlines: list[DeadlineRow]  # open ones
    today: date
    tz: ZoneInfo


def title(trial_name: str) -> str:
    return _("{trial_name} · Action Plan").format(trial_name=trial_name)


def sections(data: CanvasData) -> list[tuple[str, str]]:
    """(heading, markdown) for each section, in order; the heading starts the markdown."""
    m = data.measures
    status = m.trial.status.capitalize() if m.status == "closed" else RAG_WORDS[m.status]
    members = ", ".join(f"{SECTOR_TITLES[s]} {c}" for s, c in sorted(m.sectors.items()))
    glance = [
        _("**Status: {status}**, {text}").format(status=status, text=text("; ".join(m.reasons))),
        _("Lead: {value}").format(
            value=", ".join(person(x.slack_user_id) for x in data.leads) or _("not yet named")
        ),
        _("Members: {value}").format(value=members or _("none yet")),
    ]
    if m.absent_sectors:
        glance.append(
            _("Not at the last two meetings: ")
            + ", ".join(SECTOR_TITLES[s] for s in m.absent_sectors)
        )
    out = [(N_("The trial at a glance"), "\n".join(f"- {line}" for line in glance))]

    plan: list[str] = []
    by_outcome: dict[str, list[TaskRow]] = {}
    for task in data.tasks:
        by_outcome.setdefault(task.outcome_name or _("Without an outcome"), []).append(task)
    # A plan has thousands of rows and a handful of words: each looked up once.
    overdue, blocked, due_on = _(" **overdue**"), _(" **blocked**"), _(", due {date}")
    statuses = {status: STATUS_WORDS[status].lower() for status in STATUS_WORDS}
    for outcome, rows in by_outcome.items():
        done = sum(1 for r in rows if r.status == "done")
        plan.append(
            _("### {text} ({done} of {count} done)").format(
                text=text(outcome), done=done, count=len(rows)
            )
        )
        for r in (r for r in rows if r.is_open):
            flags = overdue if r.overdue(data.today) else ""
            flags += blocked if r.status == "blocked" else ""
            due = due_on.format(date=format_date(r.due_date)) if r.due_date else ""
            plan.append(
                f"- {r.reference} {text(r.title)}: {person(r.owner_user_id)}{due}, "
                f"{statuses[r.status]}, {r.percent}%{flags}"
            )
    out.append((N_("The Action Plan"), "\n".join(plan) or _("No tasks yet.")))

    meeting = m.next_meeting
    if meeting is None:
        next_one = _("None scheduled.")
    else:
        items = [f"{i.position}. {text(i.title)}" for i in data.agenda] or [_("Nothing on it yet.")]
        place = _(" at {text}").format(text=text(meeting.place)) if meeting.place else ""
        next_one = (
            f"M-{meeting.id} {format_datetime(meeting.starts_at, data.tz)}{place}\n"
            + "\n".join(items)
        )
    out.append((N_("The next meeting"), next_one))

    deadlines = [
        _("- D-{deadline} {text}, due {date}").format(
            deadline=d.deadline.id,
            text=text(d.deadline.title),
            date=format_date(d.deadline.due_date),
        )
        + (_(" **overdue**") if d.deadline.due_date < data.today else "")
        for d in data.deadlines
    ]
    out.append((N_("Reporting deadlines"), "\n".join(deadlines) or _("None open.")))
    indicators = [f"- {_indicator(s)}" for s in m.indicators]
    out.append((N_("Headline indicators"), "\n".join(indicators) or _("None recorded yet.")))
    return [(heading, f"## {shown_heading(heading)}\n{body}") for heading, body in out]


def shown_heading(heading: str) -> str:
    """A section's heading as the channel reads it ("Te Mahere Mahi · The Action Plan")."""
    return label(heading)


def _indicator(series: Series) -> str:
    """`Truancy cases closed: 18% (2011) → 96% (2013), target 90%`."""
    i, latest = series.indicator, series.latest
    parts = []
    if i.baseline_value is not None:
        parts.append(
            number(i.baseline_value, i.unit)
            + (f" ({i.baseline_period})" if i.baseline_period else "")
        )
    if latest is not None:
        parts.append(f"{number(latest.value, i.unit)} ({latest.period})")
    target = (
        _(", target {number}").format(number=number(i.target_value, i.unit))
        if i.target_value is not None
        else ""
    )
    return f"{text(i.name)}: {' → '.join(parts) or _('no values yet')}{target}"


def markdown(trial_name: str, data: CanvasData, built: list[tuple[str, str]] | None = None) -> str:
    """The whole canvas, as the bot would publish it (from its `sections`, if built)."""
    built = sections(data) if built is None else built
    parts = [f"# {text(title(trial_name))}", *(body for _ignored, body in built)]
    footer = _("_Kept current by advisory-bot; as of {date}._").format(date=format_date(data.today))
    return "\n\n".join([*parts, footer]) + "\n"

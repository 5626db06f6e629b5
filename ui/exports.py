"""Exports: CSV files and PNG charts of Action Plan progress (matplotlib, no display)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from models.local_time import file_time, local_date
from models.periods import Period
from models.summaries import Measures, OutcomeProgress
from models.tasks import TaskRow
from ui.formatting import format_date
from ui.i18n import _


def _pyplot() -> Any:
    """matplotlib, loaded when a chart is first drawn (it costs tens of MB of memory)."""
    import matplotlib

    matplotlib.use("Agg")  # render to files; there is no screen on a server
    import matplotlib.pyplot as plt

    return plt


NATIONAL_COLUMNS = [
    "trial",
    "region",
    "status",
    "trial_status",
    "reasons",
    "tasks",
    "done",
    "percent_done",
    "open",
    "overdue",
    "blocked",
    "at_risk",
    "no_update_30_days",
    "overdue_deadlines",
    "next_deadline",
    "next_deadline_due",
    "next_meeting",
    "agenda_items",
    "members",
    "done_this_week",
    "touched_this_week",
]


# What a spreadsheet reads as the start of a formula (OWASP's CSV injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: object) -> object:
    """A cell as a spreadsheet should show it: text that would start a formula gets a
    leading apostrophe (Excel, LibreOffice and Sheets show it as text); numbers as they
    are (a negative number is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([as_text(name) for name in header])
    writer.writerows([as_text(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read macrons right


def national_csv(rows: list[Measures], tz: ZoneInfo) -> bytes:
    """One row per trial with every measure of the roll-up; times with their offset."""

    def row(m: Measures) -> list[object]:
        deadline = (m.overdue_deadlines + m.next_deadlines)[:1]
        return [
            m.trial.name,
            m.trial.region or "",
            m.status,
            m.trial.status,
            "; ".join(m.reasons),
            m.total,
            m.done,
            m.percent,
            m.open,
            m.overdue,
            m.blocked,
            m.at_risk,
            m.stale,
            len(m.overdue_deadlines),
            deadline[0].title if deadline else "",
            deadline[0].due_date.isoformat() if deadline else "",
            file_time(m.next_meeting.starts_at, tz) if m.next_meeting else "",
            m.next_meeting_items,
            m.members,
            m.done_this_week,
            m.touched_this_week,
        ]

    return csv_bytes(NATIONAL_COLUMNS, [row(m) for m in rows])


def tasks_csv(
    rows: list[TaskRow], updates: dict[int, tuple[int, str]], today: date, tz: ZoneInfo
) -> bytes:
    """One row per task, with how many updates it has and the latest one; its owner by
    name and Slack ID, and its dates as the trial's local dates."""
    header = [
        "reference",
        "title",
        "outcome",
        "owner",
        "owner_slack_id",
        "status",
        "percent",
        "due",
        "overdue",
        "created",
        "completed",
        "updates",
        "latest_update",
    ]
    return csv_bytes(
        header,
        [
            [
                row.reference,
                row.title,
                row.outcome_name or "",
                row.owner_name or "",
                row.owner_user_id,
                row.status,
                row.percent,
                row.due_date.isoformat() if row.due_date else "",
                "yes" if row.overdue(today) else "",
                local_date(row.created_at, tz).isoformat(),
                local_date(row.completed_at, tz).isoformat() if row.completed_at else "",
                updates.get(row.id, (0, ""))[0],
                updates.get(row.id, (0, ""))[1],
            ]
            for row in rows
        ],
    )


STATUS_COLOURS = {"red": "#c0392b", "amber": "#e6a019", "green": "#2e8b57", "closed": "#9ca3af"}
PLAIN_BAR = "#2563eb"


def _png(figure: Any, plt: Any) -> bytes:
    try:
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def progress_chart(
    labels: list[str],
    done: list[int],
    totals: list[int],
    title: str,
    *,
    as_of: date,
    colours: list[str] | None = None,
) -> bytes:
    """A horizontal bar chart of percent done, as PNG bytes, dated; each bar in its trial's
    status colour when `colours` are given."""
    percents = [round(100 * d / t) if t else 0 for d, t in zip(done, totals, strict=True)]
    height = max(2.5, 0.45 * len(labels) + 1.4)
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, height), dpi=100)
    positions = list(range(len(labels)))
    axes.barh(positions, [100] * len(labels), color="#e5e7eb")
    axes.barh(positions, percents, color=colours or PLAIN_BAR)
    axes.set_yticks(positions, labels=labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(_("Action Plan tasks done (%)"))
    axes.set_title(
        _("{title}\nas of {date}").format(title=title, date=format_date(as_of)),
        fontsize=11,
        pad=22 if colours else 6,
    )
    for position, (d, t) in enumerate(zip(done, totals, strict=True)):
        axes.text(101, position, f"{d}/{t}", va="center", fontsize=8)
    if colours:
        from matplotlib.patches import Patch

        used = dict.fromkeys(zip(colours, legend_words(colours), strict=True))
        axes.legend(
            handles=[Patch(color=c, label=w) for c, w in used],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=len(used),
            fontsize=8,
            frameon=False,
        )
    return _png(figure, plt)


def legend_words(colours: list[str]) -> list[str]:
    words = {colour: status.capitalize() for status, colour in STATUS_COLOURS.items()}
    return [words[c].replace("Closed", _("Exited or concluded")) for c in colours]


def national_chart(rows: list[Measures], as_of: date) -> bytes:
    return progress_chart(
        [m.trial.name for m in rows],
        [m.done for m in rows],
        [m.total for m in rows],
        _("Action Plan progress by trial"),
        as_of=as_of,
        colours=[STATUS_COLOURS[m.status] for m in rows],
    )


def outcome_chart(trial_name: str, outcomes: list[OutcomeProgress], as_of: date) -> bytes:
    return progress_chart(
        [o.name for o in outcomes] or [_("No tasks yet")],
        [o.done for o in outcomes] or [0],
        [o.total for o in outcomes] or [0],
        _("{trial_name}: progress by outcome").format(trial_name=trial_name),
        as_of=as_of,
    )


def trend_chart(
    title: str,
    points: list[tuple[Period, float]],
    *,
    as_of: date,
    target: float | None = None,
    unit: str | None = None,
) -> bytes:
    """A line chart of an indicator's values, each at the middle of its period on a time
    axis (2011 → 2013 twice as far as 2013 → 2014), dated, as PNG bytes."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.5, 3.2), dpi=100)
    middles = [p.start + (p.end - p.start) / 2 for p, _ignored in points]
    axes.plot(middles, [v for _ignored, v in points], marker="o", color=PLAIN_BAR)
    axes.set_xticks(middles, labels=[p.label for p, _ignored in points], rotation=30, ha="right")
    axes.tick_params(axis="x", labelsize=8)
    if target is not None:
        axes.axhline(
            target, color=STATUS_COLOURS["green"], linestyle="--", linewidth=1, label="target"
        )
        axes.legend(fontsize=8)
    axes.set_ylabel(unit or "")
    axes.set_title(
        _("{title}\nas of {date}").format(title=title, date=format_date(as_of)), fontsize=10
    )
    return _png(figure, plt)

"""Reporting periods: the dates a period covers, and the label the bot writes for it.

People type periods in many ways (`ui.parsing.parse_period`); what is stored is the
canonical label that parser gives ("2013", "2013/14", "H2 2026", "Q3 2026", "Term 2 2026",
"Jun 2026", "2026-06-30"), which `period_of` turns back into its dates exactly.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date


def months_on(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


TERM_MONTHS = {1: (2, 4), 2: (5, 7), 3: (7, 9), 4: (10, 12)}
MONTH_ABBREVIATIONS = {calendar.month_abbr[m]: m for m in range(1, 13)}
_LABEL = re.compile(
    r"^(?:(?P<year>\d{4})"
    r"|(?P<fy>\d{4})/(?P<fy2>\d{2})"
    r"|H(?P<half>[12]) (?P<hy>\d{4})"
    r"|Q(?P<quarter>[1-4]) (?P<qy>\d{4})"
    r"|Term (?P<term>[1-4]) (?P<ty>\d{4})"
    r"|(?P<month>[A-Z][a-z]{2}) (?P<my>\d{4})"
    r"|(?P<day>\d{4}-\d{2}-\d{2}))$"
)


@dataclass(frozen=True)
class Period:
    """A reporting period: its label and the dates it covers."""

    label: str
    start: date
    end: date


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_of(label: str) -> Period:
    """The period a stored label names; ValueError for a label the bot never writes."""
    match = _LABEL.match(label)
    if match is None:
        raise ValueError(f"not a period label: {label!r}")
    g = match.groupdict()
    if g["year"]:
        year = int(g["year"])
        return Period(label, date(year, 1, 1), date(year, 12, 31))
    if g["fy"]:
        first = int(g["fy"])
        return Period(label, date(first, 7, 1), date(first + 1, 6, 30))
    if g["half"]:
        year, half = int(g["hy"]), int(g["half"])
        return Period(
            label,
            date(year, 1 if half == 1 else 7, 1),
            date(year, 6, 30) if half == 1 else date(year, 12, 31),
        )
    if g["quarter"]:
        year, quarter = int(g["qy"]), int(g["quarter"])
        return Period(label, date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter))
    if g["term"]:
        year, (first, last) = int(g["ty"]), TERM_MONTHS[int(g["term"])]
        return Period(label, date(year, first, 1), month_end(year, last))
    if g["month"]:
        year, month = int(g["my"]), MONTH_ABBREVIATIONS.get(g["month"])
        if month is None:
            raise ValueError(f"not a period label: {label!r}")
        return Period(label, date(year, month, 1), month_end(year, month))
    day = date.fromisoformat(g["day"])
    return Period(label, day, day)

"""The dates of a repeating meeting: weekly, fortnightly, or monthly on the same weekday
of the month ("the first Tuesday"; "the last Friday" when it started on a fifth one)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

REPEATS = ("weekly", "fortnightly", "monthly")
MOST = 52  # occurrences in one series
DEFAULT_SPAN = 182  # days, when no `until` is given: about six months


def ordinal_weekday(day: date) -> tuple[int, int]:
    """(n, weekday): the 1st–4th such weekday of its month, or -1 for the last one."""
    n = (day.day - 1) // 7 + 1
    return (-1 if n == 5 else n), day.weekday()


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> date:
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    return days[-1] if n == -1 else days[n - 1]


def describe(first: date, repeat: str) -> str:
    """`monthly on the first Tuesday`, `fortnightly on Tuesdays`, `weekly on Tuesdays`."""
    weekday = calendar.day_name[first.weekday()]
    if repeat != "monthly":
        return f"{repeat} on {weekday}s"
    n, _ = ordinal_weekday(first)
    which = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}[n]
    return f"monthly on the {which} {weekday}"


def occurrences(first: date, repeat: str, until: date | None = None) -> list[date]:
    """Every date of the series from `first`, up to `until` (about six months if none)."""
    last = until or first + timedelta(days=DEFAULT_SPAN)
    found: list[date] = []
    if repeat in ("weekly", "fortnightly"):
        step = timedelta(days=7 if repeat == "weekly" else 14)
        day = first
        while day <= last and len(found) < MOST:
            found.append(day)
            day += step
        return found
    n, weekday = ordinal_weekday(first)
    year, month = first.year, first.month
    while len(found) < MOST:
        day = _nth_weekday(year, month, n, weekday)
        if day > last:
            break
        if day >= first:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found

"""Working days: Monday to Friday, not a New Zealand public holiday (Matariki included),
not the anniversary day kept where the trial is (models.places). Dates from the maintained
`holidays` package."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from models.places import anniversary_of


@lru_cache(maxsize=64)
def _holidays(subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NZ", subdiv=subdivision, years=year).keys())


@lru_cache(maxsize=64)
def _named(subdivision: str | None, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("NZ", subdiv=subdivision, years=year).items())


class WorkingDays:
    """The working days of one place: its region, district or town (national holidays only
    if the place is unknown or split between two anniversary days)."""

    def __init__(self, region: str | None = None) -> None:
        anniversary = anniversary_of(region)
        self.code = anniversary.subdivision if anniversary else None

    def holiday(self, day: date) -> str | None:
        """The public holiday (or anniversary day) kept there on that day, if any."""
        return _named(self.code, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _holidays(self.code, day.year)

    def on_or_before(self, day: date) -> date:
        """The day itself if it is a working day, else the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def nth_after(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n ≥ 1)."""
        count = 0
        while count < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return day

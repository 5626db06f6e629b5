"""Working days: Monday to Friday, not a New Zealand public holiday (Matariki included),
not the anniversary day of the trial's region. From the maintained `holidays` package."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from models.text import fold

_SUBDIVISIONS: dict[str, str] = {}


def region_code(region: str | None) -> str | None:
    """The `holidays` subdivision for a region name ("Wellington" → WGN); None if unknown."""
    if not region:
        return None
    if not _SUBDIVISIONS:
        aliases = getattr(holidays.NZ, "subdivisions_aliases", {}) or {}
        _SUBDIVISIONS.update({fold(name): code for name, code in aliases.items()})
        _SUBDIVISIONS.update({fold(code): code for code in holidays.NZ.subdivisions})
    return _SUBDIVISIONS.get(fold(region))


@lru_cache(maxsize=64)
def _holidays(code: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NZ", subdiv=code, years=year).keys())


class WorkingDays:
    """The working days of one region (national holidays only if the region is unknown)."""

    def __init__(self, region: str | None = None) -> None:
        self.code = region_code(region)

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

"""Instants as people live them: every date and time anyone sees is the wall clock of the
trial's time zone, never UTC. The one place an instant becomes a local date or time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local(instant: datetime, tz: ZoneInfo) -> datetime:
    """The instant on the trial's wall clock."""
    return instant.astimezone(tz)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The date the instant fell on where the trial is (09:55 NZ on the 2nd is the 2nd,
    though it is still the 1st in UTC)."""
    return instant.astimezone(tz).date()


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """The instant a local day begins (midnight on the trial's wall clock)."""
    return datetime.combine(day, time(0), tz)


def days_between(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants from the start of `first` to the end of `last`, local days both."""
    return day_start(first, tz), day_start(last + timedelta(days=1), tz)


def file_time(instant: datetime, tz: ZoneInfo) -> str:
    """A machine-readable time with its offset: `2026-12-14T10:00:00+13:00`."""
    return instant.astimezone(tz).replace(microsecond=0).isoformat()

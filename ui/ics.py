"""A meeting as an iCalendar (.ics) event, so members can add it to their calendars."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

MEETING_LENGTH = timedelta(hours=2)


def meeting_ics(
    *,
    meeting_id: int,
    trial_name: str,
    starts_at: datetime,
    place: str | None,
    agenda: list[str],
    cancelled: bool = False,
) -> bytes:
    """One VEVENT in the trial's time zone (with its VTIMEZONE), two hours long."""
    calendar = Calendar()
    calendar.add("prodid", "-//advisory-bot//Social Sector Trials//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting_id}@advisory-bot")
    event.add("summary", f"{trial_name} advisory group meeting (M-{meeting_id})")
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + MEETING_LENGTH)
    event.add("dtstamp", datetime.now(starts_at.tzinfo))
    if place:
        event.add("location", place)
    if agenda:
        event.add(
            "description",
            "Agenda:\n"
            + "\n".join(f"{number}. {title}" for number, title in enumerate(agenda, start=1)),
        )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

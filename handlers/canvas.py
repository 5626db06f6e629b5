"""A trial's channel canvas, as the bot would publish it: gathered from the records in one
read, rendered by `ui.canvas`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from models import deadlines, groups, meetings, summaries
from models.db import Database
from models.tables import Trial
from ui import canvas


def canvas_markdown(*, database: Database, trial: Trial, now: datetime, tz: ZoneInfo) -> str:
    """The canvas of this trial's channel, as markdown, as of `now`."""
    now = now.astimezone(tz)
    today = now.date()
    with database.session(write=False) as session:
        measures = summaries.measures(session=session, today=today, now=now, trial=trial)[0]
        tasks, _ = summaries.export_rows(session=session, trial=trial)
        next_meeting = measures.next_meeting
        agenda = meetings.agenda(session=session, meeting=next_meeting) if next_meeting else []
        group = groups.load_group(session=session, user_id="", trial=trial)
        data = canvas.CanvasData(
            measures=measures,
            leads=group.leads,
            tasks=tasks,
            agenda=agenda,
            deadlines=deadlines.listing(session=session, trial=trial),
            today=today,
            tz=tz,
        )
    return canvas.markdown(trial.name, data)

"""The channel canvas as the bot would publish it (`:canvas` in the console): each section
under its own heading, local dates, overdue and blocked marked, people's text as text."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from handlers.canvas import canvas_markdown
from models.db import Database
from models.tables import Trial
from tests.conftest import GORE, HEMI, LISA, NZ
from tests.harness.slack_requests import Slack


def test_the_canvas_shows_the_plan_meeting_deadlines_and_text_as_text(
    gore: Slack, database: Database
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(
        "/task add Hire *an officer* [now](http://evil.example) owner @hemi due 20/11/2026 "
        "outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    gore.say("/task add Breakfast club due 15/12 outcome Reduce truancy", user=LISA, channel=GORE)
    gore.say("/update T-2 blocked Waiting on the school board", user=LISA, channel=GORE)
    gore.say("/meeting schedule 14/12 10am at Gore Library", user=LISA, channel=GORE)
    gore.say("/agenda add Truancy figures", user=HEMI, channel=GORE)
    gore.say("/deadline add Six-monthly report due 15/12", user=LISA, channel=GORE)
    with database.session(write=False) as session:
        trial = session.exec(select(Trial)).one()
    text = canvas_markdown(
        database=database, trial=trial, now=datetime(2026, 11, 23, 9, 30, tzinfo=NZ), tz=NZ
    )
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## The trial at a glance",
        "## The Action Plan",
        "## The next meeting",
        "## Reporting deadlines",
        "## Headline indicators",
    ]
    assert text.startswith("# Gore District · Action Plan")
    assert "### Reduce truancy (0 of 2 done)" in text
    assert r"Hire \*an officer\* \[now\](http://evil.example)" in text  # no emphasis, no link
    assert f"![](@{HEMI}), due Fri 20 Nov 2026, not started, 0% **overdue**" in text
    assert "**blocked**" in text and "Lead: ![](@ULISA)" in text
    assert "M-1 Mon 14 Dec 2026, 10:00 at Gore Library\n1. Truancy figures" in text
    assert "D-1 Six-monthly report, due Tue 15 Dec 2026" in text

"""Repeating meetings: monthly on the same weekday of the month, at the same wall-clock
time across a daylight-saving change, each its own M- reference, one line in the list;
a meeting moved alone; a public holiday flagged when scheduling."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from models import series
from models.db import Database
from models.tables import Meeting
from tests.conftest import GORE, LISA, NZ
from tests.harness.slack_requests import Slack


def test_monthly_keeps_the_weekday_of_the_month() -> None:
    assert series.occurrences(date(2027, 3, 2), "monthly", date(2027, 6, 30)) == [
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]  # the first Tuesday
    assert series.occurrences(date(2026, 12, 29), "monthly", date(2027, 3, 31))[1:] == [
        date(2027, 1, 26),
        date(2027, 2, 23),
        date(2027, 3, 30),
    ]  # a fifth Tuesday means the last one
    assert series.describe(date(2027, 3, 2), "monthly") == "monthly on the first Tuesday"
    assert len(series.occurrences(date(2027, 1, 5), "fortnightly", date(2027, 3, 2))) == 5


def test_a_monthly_series_across_daylight_saving_stays_at_ten(
    gore: Slack, database: Database
) -> None:
    reply = gore.say(
        "/meeting schedule 2/3/2027 10am at Gore Library repeat monthly until 30/6/2027",
        user=LISA,
        channel=GORE,
    )
    assert "scheduled 4 Gore District meetings, monthly on the first Tuesday at 10:00" in reply.text
    with database.session(write=False) as session:
        made = session.exec(select(Meeting).order_by(col(Meeting.starts_at))).all()
    local = [m.starts_at.astimezone(NZ) for m in made]
    assert [t.hour for t in local] == [10, 10, 10, 10]
    assert [m.starts_at.hour for m in made] == [21, 22, 22, 22]  # UTC: NZDT, then NZST
    assert {m.series_id for m in made} == {made[0].id}
    listing = gore.say("/meeting list", user=LISA, channel=GORE).text
    assert listing.count("*M-") == 1 and "repeats monthly on the first Tuesday" in listing
    assert "3 more meetings to Tue 1 Jun 2027, 10:00" in listing

    moved = gore.say("/meeting move M-2 7/4/2027", user=LISA, channel=GORE)
    assert "from Tue 6 Apr 2027, 10:00 to Wed 7 Apr 2027, 10:00" in moved.text
    gore.say("/meeting cancel M-3", user=LISA, channel=GORE)
    with database.session(write=False) as session:
        statuses = [m.status for m in session.exec(select(Meeting).order_by(col(Meeting.id)))]
    assert statuses == ["scheduled", "scheduled", "cancelled", "scheduled"]


def test_a_meeting_on_a_public_holiday_is_flagged(gore: Slack) -> None:
    gore.say("/group set region Gore", user=LISA, channel=GORE)
    reply = gore.say("/meeting schedule 30/3/2027 10am", user=LISA, channel=GORE)
    assert "is Southland Anniversary Day" in reply.text and "/meeting move" in reply.text

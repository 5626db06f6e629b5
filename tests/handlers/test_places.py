"""`/group set region` with a region, a district or a town: the anniversary day kept
there, asked for where the region alone cannot say, and skipped by reminders."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.config import Settings
from models.db import Database
from scheduler.sweep import sweep
from tests.conftest import GORE, LISA, NZ
from tests.harness.checks import assert_refused
from tests.harness.slack_requests import Slack


def test_a_district_says_the_anniversary_it_keeps_and_its_next_date(gore: Slack) -> None:
    reply = gore.say("/group set region gore district", user=LISA, channel=GORE)
    assert (
        "region is now Gore District, Southland. Gore District keeps Southland Anniversary "
        "Day (Tue 30 Mar 2027)" in reply.text
    )
    info = gore.say("/group info", user=LISA, channel=GORE)
    assert "Gore District, Southland · keeps Southland Anniversary Day (Tue 30 Mar 2027)" in (
        info.text
    )


def test_a_region_split_between_two_days_asks_for_the_district(
    gore: Slack, database: Database
) -> None:
    reply = assert_refused(
        gore,
        database,
        "/group set region Manawatu-Whanganui",
        "keeps two anniversary days",
        user=LISA,
        channel=GORE,
    )
    assert "Horowhenua District" in reply.text and "Ruapehu District" in reply.text
    assert_refused(
        gore,
        database,
        "/group set region Narnia",
        "I don't know “Narnia”",
        user=LISA,
        channel=GORE,
    )


@pytest.mark.parametrize(
    ("place", "anniversary", "friday_before", "due"),
    [
        ("Bay of Plenty", "1/2/2027", "29/1/2027", "2/2/2027"),  # a region alone: Auckland's
        ("Horowhenua District", "25/1/2027", "22/1/2027", "26/1/2027"),  # a district: Wellington's
        ("Taumarunui", "1/2/2027", "29/1/2027", "2/2/2027"),  # a town: Auckland's
    ],
)
def test_reminders_skip_the_anniversary_kept_there(
    gore: Slack,
    database: Database,
    settings: Settings,
    place: str,
    anniversary: str,
    friday_before: str,
    due: str,
) -> None:
    gore.say(f"/group set region {place}", user=LISA, channel=GORE)
    gore.say(f"/deadline add Six-monthly report due {due}", user=LISA, channel=GORE)

    def due_at(day: str) -> list[str]:
        d, m, y = (int(part) for part in day.split("/"))
        at = datetime.combine(datetime(y, m, d).date(), time(9, 5), NZ)
        result = sweep(
            now=at, database=database, client=None, settings=settings, me="test", dry_run=True
        )
        return [line for line in result.lines if "D-1" in line]

    assert due_at(anniversary) == []  # the day before the deadline is a holiday there...
    assert len(due_at(friday_before)) == 1  # ...so its reminder goes the working day before

"""Dates typed without a year, on 23 Nov 2026: one that passed a few days ago is this
year's, refused where only the future makes sense and taken where the past does."""

from __future__ import annotations

import pytest

from models.db import Database
from tests.conftest import GORE, LISA
from tests.harness.checks import assert_refused
from tests.harness.slack_requests import Slack


@pytest.mark.parametrize(
    "line",
    [
        "/group away until 20/11",
        "/meeting schedule 20/11 10am at Gore Library",
        "/deadline add Six-monthly report due 20 Nov",
        "/task add Hire a truancy officer due 20/11",
    ],
)
def test_a_date_that_just_passed_is_refused_not_moved_a_year_on(
    gore: Slack, database: Database, line: str
) -> None:
    reply = assert_refused(gore, database, line, "Fri 20 Nov 2026", user=LISA, channel=GORE)
    assert "has passed" in reply.text and "2027" not in reply.text


def test_a_date_further_back_means_next_year_and_the_reply_says_so(gore: Slack) -> None:
    reply = gore.say("/meeting schedule 20/8 10am at Gore Library", user=LISA, channel=GORE)
    assert "Fri 20 Aug 2027, 10:00" in reply.text


def test_a_past_due_date_with_its_year_is_taken_as_meant(gore: Slack) -> None:
    reply = gore.say("/task add Holiday programme due 20/11/2026", user=LISA, channel=GORE)
    assert "already passed" in reply.text


def test_an_indicator_value_is_for_a_period_that_has_begun(gore: Slack, database: Database) -> None:
    gore.say(
        "/indicator add Truancy cases closed unit % outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    assert_refused(
        gore,
        database,
        "/indicator record I-1 45 for 2027",
        "2027 has not begun yet",
        user=LISA,
        channel=GORE,
    )
    assert_refused(
        gore,
        database,
        "/indicator record I-1 45 for 30/11",
        "has not begun yet",
        user=LISA,
        channel=GORE,
    )
    recorded = gore.say("/indicator record I-1 45 for 20/11", user=LISA, channel=GORE)
    assert "2026-11-20" in recorded.text, recorded.text

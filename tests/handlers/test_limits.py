"""Every length limit is checked before the database, the same on SQLite and PostgreSQL:
a long value gets a specific reply and changes nothing; a long event ID is still kept."""

from __future__ import annotations

from models.db import Database
from tests.conftest import GORE, LISA
from tests.harness.checks import assert_refused, table_count
from tests.harness.slack_requests import Slack


def test_a_600_character_submission_link_is_refused_plainly(
    gore: Slack, database: Database
) -> None:
    gore.say(
        "/deadline add Six-monthly progress report to Ministers due 15/12", user=LISA, channel=GORE
    )
    link = "https://docs.example/" + "a" * 580
    assert_refused(
        gore,
        database,
        f"/deadline submitted D-1 {link}",
        "That submitted link is 601 characters long; it can be 500 at most.",
        user=LISA,
        channel=GORE,
    )


def test_a_300_character_event_id_is_taken_once(slack: Slack, database: Database) -> None:
    event = {"type": "app_home_opened", "user": LISA, "channel": "DLISA", "tab": "home"}
    first = slack.event(event, event_id="Ev" + "9" * 298)
    again = slack.event(event, event_id="Ev" + "9" * 298, retry_num=1)
    assert (first.status, again.status) == (200, 200)
    assert table_count(database, "slackeventreceipt") == 1

"""Meetings and agendas over signed HTTP requests. The bot's clock is Monday 23 November
2026, 09:30 in Auckland (tests/conftest.py NOW)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import func, select

from models.db import Database
from models.tables import AgendaItem, Meeting, MeetingAttendance, Member, Task
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, RANUI
from tests.harness.checks import assert_refused, wait_until_made
from tests.harness.slack_requests import Interactions, Reply, Slack

AUCKLAND = ZoneInfo("Pacific/Auckland")


@pytest.fixture
def group(gore: Slack) -> Slack:
    """Gore District: Lisa (lead, community), Hemi (iwi), Aro (agency, chair)."""
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f'/group add <@{ARO}|aro> agency "NZ Police" as chair', user=LISA, channel=GORE)
    return gore


def _meeting(database: Database, number: int) -> Meeting:
    with database.session(write=False) as session:
        meeting = session.get(Meeting, number)
        assert meeting is not None
        return meeting


def _agenda(database: Database, meeting_id: int) -> list[tuple[int, str]]:
    with database.session(write=False) as session:
        items = session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position)
        ).all()
    return [(item.id, item.title) for item in items]  # type: ignore[misc]


def _button(reply: Reply | dict[str, Any], action_id: str) -> dict[str, Any]:
    blocks = reply.blocks if isinstance(reply, Reply) else reply["blocks"]
    for block in blocks:
        for element in [block.get("accessory"), *block.get("elements", [])]:
            if element and element.get("action_id") == action_id:
                return element
    raise AssertionError(f"no {action_id} button")


def test_meetings_across_daylight_saving_store_the_right_utc_times(
    group: Slack, database: Database
) -> None:
    # NZ daylight saving ends on Sunday 4 April 2027 and starts on Sunday 26 September 2027.
    autumn = group.say("/meeting schedule 5/4/2027 10am at Gore Library", user=LISA, channel=GORE)
    assert not autumn.ephemeral
    assert "*M-1* Mon 5 Apr 2027, 10:00 · Gore Library" in autumn.text
    spring = group.say(
        "/meeting schedule 27 September 2027 10:00 at <https://meet.example/gore>",
        user=ARO,
        channel=GORE,
    )  # the chair may schedule too
    assert (
        "Mon 27 Sep 2027, 10:00" in spring.text
        and "<https://meet.example/gore|join online>" in spring.text
    )
    assert _meeting(database, 1).starts_at == datetime(2027, 4, 4, 22, 0, tzinfo=UTC)  # NZST +12
    assert _meeting(database, 2).starts_at == datetime(2027, 9, 26, 21, 0, tzinfo=UTC)  # NZDT +13
    assert _meeting(database, 2).place == "https://meet.example/gore"
    before = group.say("/meeting schedule 2/4/2027 10am", user=LISA, channel=GORE)
    assert "Fri 2 Apr 2027, 10:00" in before.text
    assert _meeting(database, 3).starts_at == datetime(2027, 4, 1, 21, 0, tzinfo=UTC)  # NZDT +13

    gap = group.say("/meeting schedule 26/9/2027 2:30am", user=LISA, channel=GORE)
    assert "02:30 doesn't exist on Sun 26 Sep 2027" in gap.text
    refused = group.say("/meeting schedule 15/12 10am", user=HEMI, channel=GORE)
    assert (
        "Only the lead of Gore District (<@ULISA>), the chair of Gore District (<@UARO>) or "
        "the Director (<@UDIRECTOR>) can manage meetings."
    ) in refused.text

    listing = group.say("/meeting list", user=HEMI, channel=GORE)
    assert listing.text.index("M-3") < listing.text.index("M-1") < listing.text.index("M-2")


def test_the_agenda_from_items_to_minutes_to_actions(
    group: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    nothing = group.say("/agenda add Breakfast club funding", user=HEMI, channel=GORE)
    assert "No meeting of Gore District is scheduled" in nothing.text
    group.say("/meeting schedule today 11am at Gore Library", user=LISA, channel=GORE)
    group.say("/meeting schedule 15/12 10am", user=LISA, channel=GORE)

    added = [
        group.say("/agenda add Breakfast club funding", user=HEMI, channel=GORE),
        group.say("/agenda add Truancy figures for term 3", user=ARO, channel=GORE),
        group.say("/agenda add Youth hub lease for M-1", user=LISA, channel=GORE),
    ]
    assert "added *A-1* “Breakfast club funding” to the agenda of *M-1* (item 1)" in added[0].text
    assert "Truancy figures for term 3" in added[1].text  # "for" in a title stays
    assert _agenda(database, 1) == [
        (1, "Breakfast club funding"),
        (2, "Truancy figures for term 3"),
        (3, "Youth hub lease"),
    ]

    agenda = group.say("/agenda", user="UOBSERVER", channel=GORE)
    assert not agenda.ephemeral
    assert "1. Breakfast club funding — <@UHEMI> _(A-1)_" in agenda.text
    assert "Mon 23 Nov 2026, 11:00" in agenda.text and "Gore Library" in agenda.text

    own_move = group.say("/agenda move A-1 3", user=HEMI, channel=GORE)
    assert "1. Truancy figures" in own_move.text
    others = group.say("/agenda move a2 1", user=HEMI, channel=GORE)
    assert (
        "Only its proposer (<@UARO>), the lead of Gore District (<@ULISA>), the chair"
        in others.text
    )
    chair_move = group.say("/agenda move A-3 1", user=ARO, channel=GORE)
    assert "changed" not in chair_move.text
    assert [title for _, title in _agenda(database, 1)] == [
        "Youth hub lease",
        "Truancy figures for term 3",
        "Breakfast club funding",
    ]
    assert "Only its proposer" in group.say("/agenda remove A-2", user=HEMI, channel=GORE).text
    removed = group.say("/agenda remove A-2", user=LISA, channel=GORE)
    assert "took *A-2* “Truancy figures for term 3” off" in removed.text
    assert [title for _, title in _agenda(database, 1)] == [
        "Youth hub lease",
        "Breakfast club funding",
    ]

    early = group.say("/meeting minutes M-2 Too soon", user=LISA, channel=GORE)
    assert "record its minutes once it has been held" in early.text
    minutes = group.say(
        f"/meeting minutes M-1 present <@{HEMI}> <@{LISA}> Agreed to fund the "
        "breakfast club; lease to be signed.",
        user=ARO,
        channel=GORE,
    )
    assert not minutes.ephemeral
    assert "*Iwi*: <@UHEMI>" in minutes.text and "*Community*: <@ULISA>" in minutes.text
    assert (
        "Not at the table: council, government agencies, social-service providers." in minutes.text
    )
    assert "Agreed to fund the breakfast club" in minutes.text
    meeting = _meeting(database, 1)
    assert meeting.status == "held"
    with database.session(write=False) as session:
        assert session.exec(select(func.count()).select_from(MeetingAttendance)).one() == 2
        statuses = set(session.exec(select(AgendaItem.status).where(AgendaItem.meeting_id == 1)))
    assert statuses == {"discussed"}

    shown = group.say("/meeting show M-1", user=HEMI, channel=GORE)
    assert "*Iwi*: <@UHEMI>" in shown.text and "Agreed to fund" in shown.text

    # An item becomes a task that remembers where it came from: by command ...
    task = group.say("/task add from A-1 owner @hemi due 15/12", user=LISA, channel=GORE)
    assert "T-1 · Breakfast club funding" in task.text
    shown_task = group.say("/task show T-1", user=HEMI, channel=GORE)
    assert (
        "from A-1 “Breakfast club funding” on the agenda of M-1 (Mon 23 Nov 2026, 11:00)"
        in shown_task.text
    )
    # ... and by the button on the minutes.
    clicks = Interactions(group)
    clicks.click(_button(minutes, "agenda_to_task"), user=LISA, channel=GORE)
    view = fake_slack.wait_for("views.open")[0].view
    assert view["blocks"][0]["element"]["initial_value"] == "Youth hub lease"
    assert clicks.submit(view, {"title": "Sign the youth hub lease"}, user=LISA) == {}
    wait_until_made(database)
    with database.session(write=False) as session:
        made = session.get(Task, 2)
    assert made is not None and made.source_agenda_item_id == 3
    assert made.title == "Sign the youth hub lease"


def test_cancelled_meetings_and_calendar_files(
    group: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    group.say("/meeting schedule 5/4/2027 10am at Gore Library", user=LISA, channel=GORE)
    group.say("/meeting schedule 12/4/2027 10am", user=LISA, channel=GORE)
    group.say("/agenda add Breakfast club funding for M-1", user=HEMI, channel=GORE)
    cancelled = group.say("/meeting cancel M-2", user=ARO, channel=GORE)
    assert not cancelled.ephemeral and "cancelled the Gore District meeting *M-2*" in cancelled.text
    assert "already cancelled" in group.say("/meeting cancel M-2", user=ARO, channel=GORE).text
    late_item = group.say("/agenda add Late item for M-2", user=HEMI, channel=GORE)
    assert "M-2 is cancelled" in late_item.text
    assert (
        "was cancelled, so it has no minutes"
        in group.say("/meeting minutes M-2 Nothing", user=LISA, channel=GORE).text
    )

    listing = group.say("/meeting list", user=HEMI, channel=GORE)
    assert "M-1" in listing.text and "M-2" not in listing.text and "1 agenda item" in listing.text
    clicked = Interactions(group).click(
        _button(listing, "meeting_calendar"), user=HEMI, channel=GORE
    )
    confirmation = fake_slack.wait_for("response_url", hook=clicked.hook)[0]
    assert "calendar file for M-1 is in the channel" in confirmation.params["text"]
    assert fake_slack.calls_to("files.getUploadURLExternal")
    completed = fake_slack.wait_for("files.completeUploadExternal")[0].params
    assert completed["channel_id"] == GORE
    upload = fake_slack.wait_for("upload")[0]
    calendar = Calendar.from_ical(fake_slack.uploads[upload.hook or ""])
    event = calendar.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start == datetime(2027, 4, 5, 10, 0, tzinfo=AUCKLAND)
    assert str(start.tzinfo) == "Pacific/Auckland"
    assert event.get("dtstart").params["TZID"] == "Pacific/Auckland"
    assert calendar.walk("VTIMEZONE")  # the zone travels with the event
    assert "Breakfast club funding" in str(event.get("description"))
    assert str(event.get("location")) == "Gore Library"


BAD = [
    ("/meeting schedule", "Say when"),
    ("/meeting schedule 15/12", "Say the time too"),
    ("/meeting schedule 15/12 25:00", "can't read “25:00” as a time"),
    ("/meeting schedule 10am", "Say the date before the time"),
    ("/meeting schedule 1/1/2020 10am", "has passed"),
    ("/meeting schedule someday 10am", "can't read “someday” as a date"),
    ("/meeting schedule 15/12 10am at " + "x" * 500, "keep it to 200"),
    ("/meeting cancel", "Say which meeting"),
    ("/meeting cancel T-1", "is a task"),
    ("/meeting cancel M-9", "There is no meeting M-9"),
    ("/meeting minutes M-1 present <@ULISA|lisa>", "Write the minutes"),
    ("/meeting minutes M-1 present Agreed", "Mention who after `present`"),
    ("/meeting minutes M-1 present <@UNOBODY> Agreed", "isn't in the Gore District group"),
    ("/agenda add", "agenda item is missing"),
    ("/agenda add Item for M-9", "There is no meeting M-9"),
    ("/agenda move A-1 99", "give a position from 1 to 1"),
    ("/agenda move A-1", "Say which item and its new position"),
    ("/agenda remove A-9", "There is no agenda item A-9"),
    ("/agenda frobnicate", "I don't know `/agenda frobnicate`"),
    ("/meeting frobnicate", "I don't know `/meeting frobnicate`"),
]


@pytest.mark.parametrize(("line", "says"), BAD, ids=[b[1] for b in BAD])
def test_bad_input_gets_a_clear_reply_and_changes_nothing(
    group: Slack, database: Database, line: str, says: str
) -> None:
    group.say("/meeting schedule today 11am", user=LISA, channel=GORE)
    group.say("/agenda add Breakfast club funding", user=LISA, channel=GORE)
    assert_refused(group, database, line, says, user=LISA, channel=GORE)


def test_meetings_and_items_of_another_trial_are_refused(group: Slack, database: Database) -> None:
    group.say("/group setup Rānui lead <@UMARK|mark>", user=DIRECTOR, channel=RANUI)
    group.say("/meeting schedule 15/12 10am", user="UMARK", channel=RANUI)
    group.say("/agenda add Work-ready programme", user="UMARK", channel=RANUI)
    for line, ref in (
        ("/meeting cancel M-1", "M-1"),
        ("/agenda remove A-1", "A-1"),
        ("/agenda show M-1", "M-1"),
        ("/task add from A-1", "A-1"),
    ):
        reply = group.say(line, user=LISA, channel=GORE)
        assert f"{ref} belongs to Rānui, not Gore District" in reply.text, line
    assert _meeting(database, 1).status == "scheduled"
    assert _agenda(database, 1) == [(1, "Work-ready programme")]
    with database.session(write=False) as session:
        assert session.exec(select(func.count()).select_from(Task)).one() == 0
        assert session.exec(select(func.count()).select_from(Member)).one() == 4

"""The lead's real week with minutes: a meeting that was never scheduled, apologies, long
minutes, asking before replacing minutes, decisions, and items carried over."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models.db import Database
from models.tables import AgendaItem, Meeting
from simulator.web_api import FakeSlack
from tests.conftest import ARO, GORE, HEMI, LISA
from tests.harness.checks import audit_count
from tests.harness.slack_requests import Interactions, Slack, buttons


@pytest.fixture
def group(gore: Slack) -> Slack:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f"/group add <@{ARO}|aro> agency as chair", user=LISA, channel=GORE)
    return gore


def test_a_meeting_never_scheduled_is_minuted_in_one_step(group: Slack, database: Database) -> None:
    reply = group.say(
        f'/meeting minutes 20/11 10am at "Gore Library" present <@{HEMI}|hemi> '
        f"apologies <@{ARO}|aro> Agreed to share truancy figures monthly.",
        user=LISA,
        channel=GORE,
    )
    assert not reply.ephemeral and "M-1" in reply.text
    text = reply.text
    assert "Fri 20 Nov 2026, 10:00" in text and "Gore Library" in text
    assert "*Apologies*: <@UARO>" in text and "Agreed to share truancy figures monthly." in text
    with database.session(write=False) as session:
        meeting = session.exec(select(Meeting)).one()
    assert meeting.status == "held"
    refused = group.say("/meeting minutes 30/11 Nothing yet", user=LISA, channel=GORE)
    assert (
        refused.ephemeral
        and "is still to come" in refused.text
        and "/meeting schedule" in (refused.text)
    )


def test_long_minutes_are_kept_and_shown_within_slacks_limits(
    group: Slack, fake_slack: FakeSlack
) -> None:
    group.say("/meeting schedule today 11am", user=LISA, channel=GORE)
    long = " ".join(f"Item {n}: the group talked it through & agreed." for n in range(250))
    assert 11_000 < len(long) < 12_000
    reply = group.say(f"/meeting minutes M-1 {long}", user=LISA, channel=GORE)
    sections = [b["text"]["text"] for b in reply.blocks if b["type"] == "section"]
    assert sum("*Minutes" in s for s in sections) >= 4
    assert all(len(s) <= 3000 for s in sections)
    assert "Item 249" in reply.text and "&amp;" in reply.text
    # (the fake Slack checked every block against Slack's limits)


def test_minutes_already_kept_are_replaced_or_added_to_only_after_asking(
    group: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    group.say("/meeting schedule today 11am", user=LISA, channel=GORE)
    group.say("/meeting minutes M-1 First version.", user=LISA, channel=GORE)
    before = audit_count(database)
    asked = group.say("/meeting minutes M-1 Second thoughts.", user=LISA, channel=GORE)
    assert asked.ephemeral and "has minutes already" in asked.text
    assert audit_count(database) == before  # nothing changed before the click
    choices = buttons(asked.blocks)
    assert set(choices) == {"minutes_replace", "minutes_add", "minutes_cancel"}
    clicks = Interactions(group)
    refused = clicks.click(choices["minutes_add"], user=HEMI, channel=GORE)
    assert refused.status == 200
    fake_slack.wait_for("response_url", hook=refused.hook)  # made after the ack, and answered
    with database.session(write=False) as session:
        assert session.get(Meeting, 1).minutes == "First version."  # type: ignore[union-attr]
    added = clicks.click(choices["minutes_add"], user=LISA, channel=GORE)
    fake_slack.wait_for("response_url", hook=added.hook)
    with database.session(write=False) as session:
        kept = session.get(Meeting, 1).minutes  # type: ignore[union-attr]
    assert kept == "First version.\n\nSecond thoughts."
    again = group.say("/meeting minutes M-1 Third.", user=LISA, channel=GORE)
    clicks.click(buttons(again.blocks)["minutes_cancel"], user=LISA, channel=GORE)
    with database.session(write=False) as session:
        assert session.get(Meeting, 1).minutes == kept  # type: ignore[union-attr]


def test_decisions_are_recorded_listed_and_linked_to_their_tasks(
    group: Slack, database: Database
) -> None:
    group.say("/meeting schedule today 11am", user=LISA, channel=GORE)
    group.say("/agenda add Breakfast club funding", user=HEMI, channel=GORE)
    group.say("/meeting minutes M-1 Talked about the breakfast club.", user=LISA, channel=GORE)
    decided = group.say(
        "/meeting decide A-1 Fund the breakfast club for two terms", user=ARO, channel=GORE
    )
    assert "recorded the decision on *A-1*" in decided.text and not decided.ephemeral
    group.say("/task add from A-1", user=LISA, channel=GORE)
    listing = group.say("/meeting decisions", user=HEMI, channel=GORE).text
    assert "Fund the breakfast club for two terms" in listing and "tasks: T-1" in listing
    shown = group.say("/meeting show M-1", user=HEMI, channel=GORE).text
    assert "*Decision*: Fund the breakfast club for two terms" in shown
    refused = group.say("/meeting decide A-1 Something else", user=HEMI, channel=GORE)
    assert refused.ephemeral and "Only" in refused.text


def test_items_deferred_go_to_the_next_meeting_or_wait_for_one(
    group: Slack, database: Database
) -> None:
    from models import minutes

    group.say("/meeting schedule today 11am", user=LISA, channel=GORE)
    group.say("/agenda add Youth hub lease", user=HEMI, channel=GORE)
    group.say("/agenda add Truancy figures", user=HEMI, channel=GORE)
    with database.session() as session:
        meeting = session.get(Meeting, 1)
        assert meeting is not None
        minutes.record_minutes(
            session=session,
            meeting=meeting,
            minutes=minutes.Minutes(
                "Ran out of time.",
                outcomes={2: minutes.ItemOutcome(minutes.AgendaStatus.DEFERRED)},
            ),
            actor_user_id=LISA,
        )
    group.say("/meeting schedule 15/12 10am", user=LISA, channel=GORE)  # joins the next one
    with database.session(write=False) as session:
        items = {i.id: i for i in session.exec(select(AgendaItem))}
    assert (items[1].meeting_id, items[1].status) == (1, "discussed")
    assert (items[2].meeting_id, items[2].carried_from_id, items[2].status) == (2, 1, "proposed")
    agenda = group.say("/meeting show M-2", user=HEMI, channel=GORE).text
    assert "Truancy figures" in agenda and "carried over from M-1" in agenda


def test_the_form_records_attendance_apologies_a_guest_outcomes_and_a_document(
    group: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    from models.tables import Member

    group.say("/meeting schedule today 11am at Gore Library", user=LISA, channel=GORE)
    group.say("/agenda add Breakfast club funding", user=HEMI, channel=GORE)
    group.say("/agenda add Youth hub lease", user=HEMI, channel=GORE)
    group.say("/meeting schedule 15/12 10am", user=LISA, channel=GORE)
    opened = group.command("/meeting", "minutes M-1", user=ARO, channel=GORE)  # the chair
    view = fake_slack.answer_to(opened.hook).view
    assert view["callback_id"] == "minutes_modal"
    assert len(view["blocks"]) <= 100 and fake_slack.violations == []
    with database.session(write=False) as session:
        ids = {m.slack_user_id: str(m.id) for m in session.exec(select(Member))}
    document = {
        "id": "F0MINUTES",
        "name": "Minutes 23 Nov.docx",
        "permalink": "https://trials.slack.com/files/U1/F0MINUTES/minutes.docx",
    }
    clicks = Interactions(group)
    refused = clicks.submit(view, {}, user=ARO)
    assert refused["response_action"] == "errors" and "minutes_0" in refused["errors"]
    saved = clicks.submit(
        view,
        {
            "present_iwi_0": [ids[HEMI]],
            "present_agency_0": [ids[ARO]],
            "apologies_community_0": [ids[LISA]],
            "guests": "Mere Tūhoe, Southern District Health Board",
            "minutes_0": "Talked about the breakfast clubs.",
            "minutes_file": [document],
            "item_1_outcome": "discussed",
            "item_1_decision": "Fund the clubs for two terms",
            "item_2_outcome": "deferred",
        },
        user=ARO,
    )
    assert saved == {}
    posted = fake_slack.wait_for("chat.postMessage")[-1]
    text = str(posted.params)
    assert "Apologies" in text and "Mere Tūhoe (Southern District Health Board)" in text
    assert "Minutes of record" in text and "F0MINUTES" in text
    assert "Fund the clubs for two terms" in text
    assert "carried over to M-2" in text
    with database.session(write=False) as session:
        items = {i.id: i for i in session.exec(select(AgendaItem))}
        meeting = session.get(Meeting, 1)
    assert meeting is not None and meeting.status == "held"
    assert meeting.minutes_file_name == "Minutes 23 Nov.docx"
    assert (items[2].meeting_id, items[2].carried_from_id) == (2, 1)
    shown = group.say("/meeting show M-1", user=HEMI, channel=GORE).text
    assert "Not at the table: council, community, social-service providers" in shown
    assert "*Apologies*: <@ULISA>" in shown

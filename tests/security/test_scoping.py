"""Each trial's records stay in its channel: from a DM or an unlinked channel a person sees
only the trials they belong to (the Director: all), answered to them alone; what the
Director asks about one trial in another trial's channel is for the Director alone."""

from __future__ import annotations

import pytest

from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, GORE, HEMI, LISA, RANUI
from tests.harness.checks import audit_count
from tests.harness.slack_requests import Interactions, Slack

STRANGER = "USTRANGER"  # in no trial at all
DM = "DSTRANGER"
NOWHERE = "CNOWHERE"  # a channel linked to no trial


@pytest.fixture
def programme(gore: Slack) -> Slack:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f"/task add Hire a truancy officer owner <@{HEMI}|hemi>", user=LISA, channel=GORE)
    gore.say("/update T-1 on-track 20% Interviews booked with the school", user=HEMI, channel=GORE)
    gore.say("/meeting schedule 15/12 10am at Gore Library", user=LISA, channel=GORE)
    gore.say("/agenda add Funding for the youth hub", user=HEMI, channel=GORE)
    gore.say("/group setup Rānui lead <@UMARK|mark>", user=DIRECTOR, channel=RANUI)
    gore.say("/task add Rānui's own action", user="UMARK", channel=RANUI)
    return gore


@pytest.mark.parametrize("where", [DM, NOWHERE])
@pytest.mark.parametrize("line", ["/task show T-1", "/meeting show M-1", "/agenda show M-1"])
def test_a_stranger_sees_nothing_of_any_trial(programme: Slack, where: str, line: str) -> None:
    reply = programme.say(line, user=STRANGER, channel=where)
    assert reply.ephemeral
    assert "in the trials you belong to" in reply.text or "isn't linked to a trial" in reply.text
    for secret in ("Interviews booked", "truancy officer", "Gore Library", "youth hub"):
        assert secret not in reply.text


def test_add_to_calendar_from_a_dm_uploads_nothing_for_a_stranger(
    programme: Slack, fake_slack: FakeSlack
) -> None:
    clicks = Interactions(programme)
    button = {"action_id": "meeting_calendar", "type": "button", "value": "1"}
    clicked = clicks.click(button, user=STRANGER, channel=DM)
    reply = fake_slack.wait_for("response_url", hook=clicked.hook)[0]
    assert "in the trials you belong to" in str(reply.params)
    assert fake_slack.calls_to("files.getUploadURLExternal") == []


@pytest.mark.parametrize("where", [DM, NOWHERE])
def test_a_member_sees_their_own_trial_from_a_dm_for_themselves_alone(
    programme: Slack, where: str
) -> None:
    reply = programme.say("/task show T-1", user=HEMI, channel=where)
    assert "Interviews booked with the school" in reply.text
    assert reply.ephemeral
    other = programme.say("/task show T-2", user=HEMI, channel=where)
    assert "in the trials you belong to" in other.text and "Rānui's own" not in other.text


def test_the_director_reads_any_trial_from_a_dm(programme: Slack) -> None:
    reply = programme.say("/task show T-2", user=DIRECTOR, channel="DDIRECTOR")
    assert "Rānui's own action" in reply.text


def test_what_the_director_asks_about_ranui_in_gores_channel_is_for_the_director_alone(
    programme: Slack,
) -> None:
    one = programme.say("/summary Ranui", user=DIRECTOR, channel=GORE)
    assert "Rānui · summary" in one.text and one.ephemeral
    every = programme.say("/summary all", user=DIRECTOR, channel=GORE)
    assert every.ephemeral
    here = programme.say("/summary Gore District", user=DIRECTOR, channel=GORE)
    assert not here.ephemeral  # Gore's own summary, in Gore's channel, is for the group


@pytest.mark.parametrize(
    "line",
    [
        "/task done T-1",
        "/update T-1 blocked Nothing happens",
        "/task due T-1 friday",
        "/meeting cancel M-1",
        "/agenda remove A-1",
    ],
)
def test_a_stranger_changes_nothing_from_a_dm(
    programme: Slack, database: Database, line: str
) -> None:
    before = audit_count(database)
    reply = programme.say(line, user=STRANGER, channel=DM)
    assert reply.ephemeral and ":warning:" in reply.text
    for secret in ("truancy officer", "Gore Library", "youth hub"):
        assert secret not in reply.text
    assert audit_count(database) == before

"""/group over signed HTTP requests, against the fake Slack and a real database."""

from __future__ import annotations

import json

from sqlmodel import func, select

from models.db import Database
from models.tables import AuditLog, Member, Trial
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, RANUI
from tests.harness.slack_requests import Slack


def test_setting_up_gore_district(gore: Slack, database: Database) -> None:
    added = gore.say(f'/group add <@{HEMI}|hemi> iwi "Hokonui Rūnanga"', user=LISA, channel=GORE)
    assert not added.ephemeral
    assert f"<@{HEMI}>" in added.text and "Hokonui Rūnanga" in added.text

    listing = gore.say("/group list", user=LISA, channel=GORE)
    assert "Gore District advisory group" in listing.text
    assert "*Iwi* (1)" in listing.text and "Hokonui Rūnanga" in listing.text
    assert f"<@{LISA}>" in listing.text and "(lead)" in listing.text

    refused = gore.say(f"/group add <@{ARO}|aro> council", user=HEMI, channel=GORE)
    assert refused.ephemeral
    assert "Only the lead of Gore District" in refused.text
    assert f"<@{LISA}>" in refused.text and f"<@{DIRECTOR}>" in refused.text

    with database.session(write=False) as session:
        names = session.exec(select(Member.slack_user_id).order_by(Member.id)).all()
        actions = session.exec(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert names == [LISA, HEMI]
    assert actions == ["trial.created", "member.added", "member.added"]


def test_unicode_trial_names_round_trip(slack: Slack, database: Database) -> None:
    reply = slack.say("/group setup Rānui lead <@ULEAD|mark>", user=DIRECTOR, channel=RANUI)
    assert "*Rānui*" in reply.text
    info = slack.say("/group info", user=DIRECTOR, channel=RANUI)
    assert "Rānui" in info.text
    with database.session(write=False) as session:
        trial = session.exec(select(Trial)).one()
    assert trial.name == "Rānui" and trial.name_key == "ranui"
    again = slack.say("/group setup ranui", user=DIRECTOR, channel=RANUI)
    assert "an existing trial" in again.text
    with database.session(write=False) as session:
        assert session.exec(select(func.count()).select_from(Trial)).one() == 1

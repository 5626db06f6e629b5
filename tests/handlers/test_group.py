"""/group over signed HTTP requests, against the fake Slack and a real database."""

from __future__ import annotations

import time

import pytest
from sqlmodel import func, select

from models.db import Database
from models.tables import AuditLog, Member, Trial
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, RANUI
from tests.harness.checks import assert_refused
from tests.harness.slack_requests import Interactions, Slack


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


def _audit(database: Database) -> list[str]:
    with database.session(write=False) as session:
        return list(session.exec(select(AuditLog.action).order_by(AuditLog.id)).all())


def test_help_and_unknown_subcommands(slack: Slack) -> None:
    help_reply = slack.say("/group help", user=HEMI, channel=GORE)
    assert help_reply.ephemeral
    assert "/group add @hemi iwi" in help_reply.text and "/group setup" in help_reply.text
    unknown = slack.say("/group frobnicate", user=HEMI, channel=GORE)
    assert unknown.ephemeral and "I don't know `/group frobnicate`" in unknown.text
    assert "/group help" in unknown.text


def test_an_unlinked_channel_explains_how_to_link_it(slack: Slack) -> None:
    reply = slack.say("/group", user=HEMI, channel="CNOWHERE")
    assert reply.ephemeral
    assert "isn't linked to a trial yet" in reply.text and "/group setup" in reply.text


def test_only_the_director_links_channels(slack: Slack, database: Database) -> None:
    refused = slack.say("/group setup Gore District", user=LISA, channel=GORE)
    assert "Only the Director (<@UDIRECTOR>) can link a channel to a trial." in refused.text
    assert _audit(database) == []


def test_a_channel_holds_one_trial_and_a_trial_moves_channel(
    gore: Slack, database: Database
) -> None:
    refused = gore.say("/group setup Rotorua District", user=DIRECTOR, channel=GORE)
    assert "already the channel of Gore District" in refused.text
    before = len(_audit(database))
    asked = gore.say("/group setup gore district", user=DIRECTOR, channel="CGORE2")
    assert asked.ephemeral and "is the trial of <#CGORE>. Move it here?" in asked.text
    assert len(_audit(database)) == before  # nothing moved before the click
    buttons = {
        e["action_id"]: e for b in asked.blocks if b["type"] == "actions" for e in b["elements"]
    }
    clicks = Interactions(gore)
    clicks.click(buttons["group_move"], user=LISA, channel="CGORE2")  # only the Director's
    assert gore.say("/group info", user=LISA, channel=GORE).text.count("Gore District") >= 1
    moved = clicks.click(buttons["group_move"], user=DIRECTOR, channel="CGORE2")
    reply = gore.fake.wait_for("response_url", hook=moved.hook)[0].params["text"]
    assert "it was linked to <#CGORE> before" in reply
    assert gore.say("/group list", user=LISA, channel="CGORE2").text.count(f"<@{LISA}>") == 1
    assert "isn't linked" in gore.say("/group list", user=LISA, channel=GORE).text


def test_roles_updates_and_rejoining(gore: Slack, database: Database) -> None:
    chair = gore.say(f"/group add <@{ARO}|aro> agency NZ Police as chair", user=LISA, channel=GORE)
    assert "NZ Police" in chair.text and "(chair)" in chair.text
    same = gore.say(f"/group add <@{ARO}|aro> agency", user=LISA, channel=GORE)
    assert same.ephemeral and "Nothing changed" in same.text

    removed = gore.say(f"/group remove <@{ARO}>", user=LISA, channel=GORE)
    assert not removed.ephemeral and "removed <@UARO>" in removed.text
    assert "<@UARO>" not in gore.say("/group list", user=LISA, channel=GORE).text
    again = gore.say(f"/group remove <@{ARO}>", user=LISA, channel=GORE)
    assert "is not a member of Gore District" in again.text

    back = gore.say("/group add @aro council", user=LISA, channel=GORE)  # plain @name
    assert "welcomed back" in back.text and "(chair)" not in back.text
    with database.session(write=False) as session:
        aro = session.exec(select(Member).where(Member.slack_user_id == ARO)).one()
    assert (aro.active, aro.sector, aro.role, aro.organisation) == (
        True,
        "council",
        "member",
        "NZ Police",
    )
    assert _audit(database) == [
        "trial.created",
        "member.added",
        "member.added",
        "member.removed",
        "member.rejoined",
    ]


def test_the_only_lead_cannot_be_removed(gore: Slack, database: Database) -> None:
    refused = gore.say(f"/group remove <@{LISA}>", user=LISA, channel=GORE)
    assert "the only lead of Gore District" in refused.text
    assert "as lead" in refused.text


def test_plain_names_unknown_and_ambiguous(gore: Slack) -> None:
    gore.say("/group setup Kaikohe lead <@UKAI1|kiri>", user=DIRECTOR, channel="CKAIKOHE")
    gore.say("/group setup Porirua lead <@UPOR1|kiri>", user=DIRECTOR, channel="CPORIRUA")
    unknown = gore.say("/group add @nobody iwi", user=LISA, channel=GORE)
    assert "I don't know anyone called @nobody" in unknown.text
    ambiguous = gore.say("/group add @Kiri iwi", user=LISA, channel=GORE)
    assert "@Kiri could be <@UKAI1>, <@UPOR1>" in ambiguous.text


def test_status_is_the_directors(gore: Slack, database: Database) -> None:
    refused = gore.say("/group status exited", user=LISA, channel=GORE)
    assert "Only the Director (<@UDIRECTOR>) can change a trial's status." in refused.text
    bad = gore.say("/group status finished", user=DIRECTOR, channel=GORE)
    assert "is not a trial status" in bad.text and "locally-led" in bad.text
    changed = gore.say("/group status locally led", user=DIRECTOR, channel=GORE)
    assert not changed.ephemeral and "from active to locally led" in changed.text
    with database.session(write=False) as session:
        assert session.exec(select(Trial.status)).one() == "locally-led"


def test_trial_details_and_info(gore: Slack) -> None:
    for line in (
        "set region Southland",
        "set approach ngo",
        "set organisation Community Networking Trust",
        "set focus child-youth",
        "set ages 5-18",
        "set start 1 March 2011",
        "set end 30 June 2016",
    ):
        reply = gore.say(f"/group {line}", user=LISA, channel=GORE)
        assert "is now" in reply.text, reply.text
    info = gore.say("/group info", user=HEMI, channel=GORE)  # observers may read
    for expected in (
        "Southland",
        "NGO: Community Networking Trust",
        "Child and youth-focused",
        "5-18",
        "Tue 1 Mar 2011 to Thu 30 Jun 2016",
        "Active",
        f"<@{LISA}>",
    ):
        assert expected in info.text, expected
    backwards = gore.say("/group set end 1/1/2010", user=LISA, channel=GORE)
    assert "end date would be before the start date" in backwards.text
    refused = gore.say("/group set region Otago", user=HEMI, channel=GORE)
    assert "Only the lead of Gore District" in refused.text


def test_away_and_back(gore: Slack, database: Database) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    away = gore.say("/group away until 15 Dec 2099", user=HEMI, channel=GORE)
    assert away.ephemeral and "away until Tue 15 Dec 2099" in away.text
    assert "away until Tue 15 Dec 2099" in gore.say("/group", user=LISA, channel=GORE).text
    past = gore.say("/group away until 1/1/2020", user=HEMI, channel=GORE)
    assert "has passed" in past.text
    stranger = gore.say("/group away until friday", user="USTRANGER", channel=GORE)
    assert "not a member" in stranger.text
    assert "Welcome back" in gore.say("/group back", user=HEMI, channel=GORE).text
    with database.session(write=False) as session:
        hemi = session.exec(select(Member).where(Member.slack_user_id == HEMI)).one()
    assert hemi.away_until is None
    assert _audit(database)[-2:] == ["member.away", "member.back"]


BAD_INPUT = [
    ("/group add", "Say who"),
    (f"/group add <@{ARO}>", "Say which sector"),
    (f"/group add <@{ARO}> church", "is not a sector"),
    (f"/group add <@{ARO}> iwi " + "Ngāti " * 400, "keep it to 200"),
    (f"/group add <@{ARO}> iwi as boss", "is not a role"),
    (f'/group add <@{ARO}> iwi "Hokonui', "quote is not closed"),
    ("/group add aro iwi", "is not a person"),
    ("/group add <@UARO> iwi'; DROP TABLE member; --", "is not a sector"),
    ("/group add 🦜 iwi", "is not a person"),
    ("/group remove", "Say who"),
    ("/group status", "Say the new status"),
    ("/group set colour blue", "is not a detail"),
    ("/group set start 12/31/2026", "day first"),
    ("/group away until someday", "can't read"),
    ("/group list everything", "takes nothing after it"),
    ("/group setup " + "x" * 2000, "keep it to 80"),
]


@pytest.mark.parametrize(("line", "says"), BAD_INPUT, ids=[b[1] for b in BAD_INPUT])
def test_bad_input_gets_a_specific_reply_and_changes_nothing(
    gore: Slack, database: Database, line: str, says: str
) -> None:
    user = DIRECTOR if line.startswith(("/group setup", "/group status")) else LISA
    assert_refused(gore, database, line, says, user=user, channel=GORE)


def test_plain_names_match_slack_display_and_real_names(
    gore: Slack, fake_slack: FakeSlack, database: Database
) -> None:
    fake_slack.users[HEMI] = {
        "id": HEMI,
        "name": "hwalker",
        "real_name": "Hēmi Walker",
        "profile": {"display_name": "Hēmi", "real_name": "Hēmi Walker"},
    }
    gore.say(f"/group add <@{HEMI}> iwi", user=LISA, channel=GORE)
    deadline = time.monotonic() + 5  # Slack is asked for the names after the reply
    while time.monotonic() < deadline:
        with database.session(write=False) as session:
            learnt = session.exec(
                select(Member.display_name).where(Member.slack_user_id == HEMI)
            ).first()
        if learnt:
            break
        time.sleep(0.02)
    gore.say("/group setup Kaikohe lead <@UKIRI|kiri>", user=DIRECTOR, channel="CKAIKOHE")
    for typed in ("@hemi", "@HWALKER", "@Hēmi"):
        reply = gore.say(f"/group add {typed} community", user="UKIRI", channel="CKAIKOHE")
        assert f"<@{HEMI}>" in reply.text, (typed, reply.text)
    with database.session(write=False) as session:
        hemi = session.exec(select(Member).where(Member.slack_user_id == HEMI)).first()
    assert hemi is not None
    assert (hemi.handle, hemi.display_name, hemi.real_name) == ("hwalker", "Hēmi", "Hēmi Walker")

"""People's own information: `/group mydata` sends it to them; `/group forget` replaces a
departed person's identity everywhere, and is refused while they are still in a group."""

from __future__ import annotations

import json

from sqlmodel import SQLModel, select

from models.db import Database
from models.privacy import DELETED_ON_FORGET, USER_COLUMNS
from models.tables import AuditLog, Member, ProgressUpdate, Task
from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, DIRECTORATE, GORE, HEMI, LISA
from tests.harness.checks import assert_refused, table_count
from tests.harness.slack_requests import Interactions, Slack, buttons


def test_mydata_sends_everything_held_about_the_person(gore: Slack, fake_slack: FakeSlack) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say("/task add Hire a truancy officer owner @hemi due 15/12", user=LISA, channel=GORE)
    gore.say("/update T-1 on-track 20% Interviews next week", user=HEMI, channel=GORE)
    reply = gore.say("/group mydata", user=HEMI, channel=GORE)
    assert reply.ephemeral and "by direct message" in reply.text
    (data,) = fake_slack.files_named("my-advisory-bot-data.json")
    held = json.loads(data)
    assert held["slack_user_id"] == HEMI
    assert [m["trial"] for m in held["memberships"]] == ["Gore District"]
    assert [t["title"] for t in held["tasks_owned"]] == ["Hire a truancy officer"]
    assert [u["text"] for u in held["updates_written"]] == ["Interviews next week"]
    assert "tasks_created" in held and held["tasks_created"] == []  # Lisa created it
    completes = fake_slack.calls_to("files.completeUploadExternal")
    assert completes[-1].params["channel_id"] == "D" + HEMI[1:]  # to them alone


def test_forget_replaces_a_departed_persons_identity_everywhere(
    gore: Slack, database: Database
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say("/task add Breakfast club owner @hemi due 15/12", user=HEMI, channel=GORE)
    gore.say("/update T-1 on-track 20% Under way", user=HEMI, channel=GORE)
    assert_refused(
        gore,
        database,
        f"/group forget <@{HEMI}|hemi>",
        "still an active member",
        user=DIRECTOR,
        channel=DIRECTORATE,
    )
    assert_refused(
        gore,
        database,
        f"/group forget <@{HEMI}|hemi>",
        "Only the Director",
        user=LISA,
        channel=GORE,
    )
    gore.say("/group language māori", user=HEMI, channel=GORE)
    gore.say(f"/group remove <@{HEMI}|hemi>", user=LISA, channel=GORE)
    done = gore.say(f"/group forget <@{HEMI}|hemi>", user=DIRECTOR, channel=DIRECTORATE)
    assert "a former member" in done.text
    with database.session(write=False) as session:
        member = session.exec(select(Member).where(Member.role != "lead")).one()
        task = session.exec(select(Task)).one()
        update = session.exec(select(ProgressUpdate)).one()
        entries = session.exec(select(AuditLog)).all()
    assert member.slack_user_id.startswith("former-") and member.handle is None
    assert table_count(database, "personsetting") == 0  # their own choices, gone
    assert task.created_by == update.author_user_id == member.slack_user_id
    assert task.title == "Breakfast club" and update.text == "Under way"  # content kept
    assert not [e for e in entries if HEMI in (e.actor_user_id + (e.detail or ""))]
    shown = gore.say("/task show T-1", user=LISA, channel=GORE).text
    assert "a former member" in shown and HEMI not in shown


def test_forget_knows_every_column_that_holds_a_person() -> None:
    """A new table's `created_by` or `decided_by` is forgotten too: every column named for
    a person is in the list `/group forget` rewrites."""
    people = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith(("_by", "user_id", "recipient"))
    } - {("reminderledger", "claimed_by"), ("reviewdecision", "carried_by")}  # a process, an org
    listed = {(model.__tablename__, name) for model, name in USER_COLUMNS + DELETED_ON_FORGET}
    assert people == listed


def _details_naming(database: Database, user_id: str) -> list[str | None]:
    with database.session(write=False) as session:
        entries = session.exec(select(AuditLog).order_by(AuditLog.id)).all()
    return [e.detail for e in entries if user_id in (e.detail or "")]


def test_forget_matches_one_person_exactly_never_an_id_that_starts_the_same(
    gore: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    one, other = "UMEMBER", "UMEMBER2"
    gore.say(f"/group add <@{one}|mere> iwi", user=LISA, channel=GORE)
    gore.say(f"/group add <@{other}|tama> council", user=LISA, channel=GORE)
    gore.say(f"/task add Kai for the kura owner <@{other}|tama>", user=LISA, channel=GORE)
    # /group mydata for UMEMBER holds nothing of UMEMBER2's
    gore.say("/group mydata", user=one, channel=GORE)
    (data,) = fake_slack.files_named("my-advisory-bot-data.json")
    held = json.loads(data)
    assert other not in json.dumps(held), [e["detail"] for e in held["audit_entries"]]
    gore.say(f"/group remove <@{one}|mere>", user=LISA, channel=GORE)
    with database.session(write=False) as session:
        before = [
            e.detail for e in session.exec(select(AuditLog)).all() if other in (e.detail or "")
        ]
    done = gore.say(f"/group forget <@{one}|mere>", user=DIRECTOR, channel=DIRECTORATE)
    assert "Forgotten" in done.text
    with database.session(write=False) as session:
        after = [
            e.detail for e in session.exec(select(AuditLog)).all() if other in (e.detail or "")
        ]
        assert session.exec(select(Member).where(Member.slack_user_id == other)).one()
    assert after == before  # UMEMBER2's entries untouched


def test_the_director_cannot_be_forgotten_and_a_stranger_has_nothing_held(
    gore: Slack, database: Database
) -> None:
    refused = gore.say(f"/group forget <@{DIRECTOR}|director>", user=DIRECTOR, channel=DIRECTORATE)
    assert "the Director" in refused.text and "can't be forgotten" in refused.text
    before = table_count(database, "auditlog")
    stranger = gore.say("/group forget <@USTRANGER|nobody>", user=DIRECTOR, channel=DIRECTORATE)
    assert "Nothing is held about <@USTRANGER>" in stranger.text
    with database.session(write=False) as session:
        entries = session.exec(select(AuditLog.action)).all()
    assert table_count(database, "auditlog") == before + 1
    assert entries[-1] == "person.nothing_to_forget"


def test_forget_names_where_their_name_stands_in_free_text_and_replaces_it_when_asked(
    gore: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say("/task add Ask Hemi about the kura lunches", user=LISA, channel=GORE)
    gore.say("/task add Themis club funding", user=LISA, channel=GORE)  # not a name of hers
    gore.say(f"/group remove <@{HEMI}|hemi>", user=LISA, channel=GORE)
    done = gore.say(f"/group forget <@{HEMI}|hemi>", user=DIRECTOR, channel=DIRECTORATE)
    assert "Forgotten" in done.text and "still stands in text people wrote: 1 task" in done.text
    with database.session(write=False) as session:  # nothing in the texts changed yet
        assert "Ask Hemi about the kura lunches" in session.exec(select(Task.title)).all()
    clicks = Interactions(gore)
    replaced = clicks.click(buttons(done.blocks)["forget_text"], user=DIRECTOR, channel=DIRECTORATE)
    answer = fake_slack.wait_for("response_url", hook=replaced.hook)[0]
    assert "now stands for them in 1 text" in answer.params["text"]
    with database.session(write=False) as session:
        titles = sorted(session.exec(select(Task.title)).all())
    assert titles == ["Ask a former member about the kura lunches", "Themis club funding"]

"""The authorization matrix: every writing command, by each role, against its own trial and
another's. Only the allowed ones change anything (every change writes the audit log)."""

from __future__ import annotations

import pytest

from models.db import Database
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, RANUI
from tests.harness.checks import audit_count
from tests.harness.slack_requests import Slack

MARK = "UMARK"  # Rānui's lead: in Gore's channel, only an observer
ROLES = [
    ("observer", MARK),
    ("member", HEMI),
    ("chair", ARO),
    ("lead", LISA),
    ("director", DIRECTOR),
]
ORDER = [role for role, _ in ROLES]

# (command typed in Gore's channel, the least role that may; T-1, A-1 are Hemi's,
# D-1 is Lisa's; T-2, M-2, A-2, D-2, I-2 belong to Rānui)
MATRIX = [
    ("/group add <@UNEW|new> community", "lead", None),
    ("/group remove <@UHEMI>", "lead", None),
    ("/group set region Otago", "lead", None),
    ("/group status transitioning", "director", None),
    ("/group setup Gore District", "director", None),
    ("/task add A new action", "member", None),
    ("/task done T-1", "member", "/task done T-2"),
    ("/task due T-1 next friday", "member", "/task due T-2 next friday"),
    ("/task assign T-1 <@UARO>", "member", "/task assign T-2 <@UARO>"),
    ("/update T-1 at-risk 30% Slower than hoped", "member", "/update T-2 at-risk 30% Slow"),
    ("/meeting schedule 15/12 10am", "chair", None),
    ("/meeting cancel M-1", "chair", "/meeting cancel M-2"),
    ("/meeting minutes M-1 present <@UHEMI> Agreed", "chair", "/meeting minutes M-2 Agreed"),
    ("/agenda add A new item", "member", "/agenda add A new item for M-2"),
    ("/agenda move A-1 1", "member", "/agenda move A-2 1"),
    ("/agenda remove A-1", "member", "/agenda remove A-2"),
    ("/deadline add Report due 15/12", "lead", None),
    ("/deadline submitted D-1", "lead", "/deadline submitted D-2"),
    ("/deadline remind D-1 7,0", "lead", "/deadline remind D-2 7,0"),
    ("/indicator add Truancy unit % outcome Reduce truancy", "chair", None),
    ("/indicator record I-1 50 for 2013", "chair", "/indicator record I-2 50 for 2013"),
    ("/report draft", "lead", None),
]


@pytest.fixture
def trials(gore: Slack) -> Slack:
    """Gore: Lisa (lead), Aro (chair), Hemi (member) with a task, an agenda item, a deadline
    and an indicator; Rānui (lead Mark) with the same."""
    say = gore.say
    say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    say(f"/group add <@{ARO}|aro> agency as chair", user=LISA, channel=GORE)
    say(f"/group setup Rānui lead <@{MARK}|mark>", user=DIRECTOR, channel=RANUI)
    for channel, owner, lead in ((GORE, HEMI, LISA), (RANUI, MARK, MARK)):
        say("/task add Hire a truancy officer", user=owner, channel=channel)
        say("/meeting schedule today 11am", user=lead, channel=channel)
        say("/agenda add Breakfast club funding", user=owner, channel=channel)
        say("/deadline add Six-monthly report due 15/12", user=lead, channel=channel)
        say(
            "/indicator add Persistent truancy unit % outcome Reduce truancy",
            user=lead,
            channel=channel,
        )
    return gore


@pytest.mark.parametrize(("line", "least", "elsewhere"), MATRIX, ids=[m[0] for m in MATRIX])
def test_only_the_allowed_roles_change_anything(
    trials: Slack,
    database: Database,
    fake_slack: FakeSlack,
    line: str,
    least: str,
    elsewhere: str | None,
) -> None:
    for role, user in ROLES[: ORDER.index(least)]:
        before = audit_count(database)
        reply = trials.say(line, user=user, channel=GORE)
        assert reply.ephemeral and ":warning:" in reply.text, (role, reply.text)
        assert "Only " in reply.text or "not a member" in reply.text.lower(), (role, reply.text)
        assert audit_count(database) == before, role
    if elsewhere is not None:  # another trial's thing, from this trial's channel: nobody
        for role, user in ROLES[ORDER.index(least) :]:
            before = audit_count(database)
            reply = trials.say(elsewhere, user=user, channel=GORE)
            assert "belongs to Rānui, not Gore District" in reply.text, (role, reply.text)
            assert audit_count(database) == before, role
    role, user = ROLES[ORDER.index(least)]
    before = audit_count(database)
    reply = trials.say(line, user=user, channel=GORE)
    assert not reply.payload["text"].startswith(":warning:"), (role, reply.text)
    if line.startswith("/report"):
        assert fake_slack.files_named(".docx")  # a draft is uploaded, not recorded
        return
    assert audit_count(database) > before, (role, reply.text)

"""Every subcommand that writes is declared as a change (so it is kept in the inbox before
its ack and made once after it). What is declared as reading runs inside
`Database.reading`, where a write fails; this sends every subcommand declared as reading,
as its own help examples type it, to a trial with one of each record, and finds none that
wrote (a write there answers with an apology and its reference)."""

from __future__ import annotations

import re

from handlers import FAMILIES
from tests.conftest import DIRECTOR, GORE, HEMI, LISA
from tests.harness.slack_requests import Slack

# The references in the examples, made to name the trial's first of each record.
REFERENCE = re.compile(r"\b([TMADIP])-\d+\b")


def _examples() -> list[str]:
    found = []
    for family in FAMILIES:
        for sub in family.subs:
            if sub.changes:
                continue
            for example, _explanation in sub.help:
                if example.startswith(family.command):
                    found.append(REFERENCE.sub(r"\1-1", example))
    return found


def test_every_subcommand_declared_as_reading_writes_nothing(gore: Slack) -> None:
    for line in (
        f"/group add <@{HEMI}|hemi> iwi",
        "/task add Hire a truancy officer owner @hemi due 15/12 outcome Reduce truancy",
        "/meeting schedule 14/12 10am at Gore Library",
        "/agenda add Truancy figures",
        "/deadline add Six-monthly report due 15/12",
        "/indicator add Persistent truancy cases closed unit % outcome Reduce truancy",
        '/programme add Youth hub provider "Hokonui Rūnanga" funding 95000',
    ):
        gore.say(line, user=LISA, channel=GORE)
    examples = _examples()
    assert len(examples) > 20  # the help examples themselves were found
    for example in examples:
        for user in (LISA, DIRECTOR):
            reply = gore.say(example, user=user, channel=GORE)
            assert "something went wrong" not in reply.text.lower(), (example, reply.text)
